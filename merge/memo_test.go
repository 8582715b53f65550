package merge

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/zclconf/go-cty/cty"
)

// memoModules writes a random module set whose options read each other
// (values, conditions, when blocks, list parts, submodule elements read
// one option at a time, an element's own options through self, arg),
// without cycles, and hosts that import it and change some of its options.
func memoModules(seed uint64, hosts int) fstest.MapFS {
	r := rand.New(rand.NewPCG(seed, 7))
	const mods, per = 4, 5
	n := mods * per
	// read returns an expression reading something option i may read.
	read := func(i int) string {
		switch c := r.IntN(6); {
		case c == 0 || i == 0:
			return fmt.Sprint(r.IntN(50))
		case c == 1:
			return fmt.Sprintf("arg.v + %d", r.IntN(5))
		case c == 2:
			return "config.u.a.x + 2"
		default:
			return fmt.Sprintf("config.n%d + %d", r.IntN(i), r.IntN(5))
		}
	}
	// cond returns a condition option i may depend on.
	cond := func(i int) string {
		if k := r.IntN(i/per + 1); k > 0 || r.IntN(2) == 0 {
			return fmt.Sprintf("config.b%d", k)
		}
		return "arg.v > 2"
	}
	fsys := fstest.MapFS{}
	var imports []string
	for k := range mods {
		var b strings.Builder
		for i := k * per; i < (k+1)*per; i++ {
			fmt.Fprintf(&b, "option \"n%d\" {\n  type    = int\n  default = %s\n}\n", i, read(i))
		}
		dflt := "false"
		if k > 0 {
			dflt = fmt.Sprintf("config.n%d > 20", r.IntN(k*per))
		}
		fmt.Fprintf(&b, "option \"b%d\" {\n  type    = bool\n  default = %s\n}\n", k, dflt)
		if k == 0 {
			b.WriteString(`option "l" {
  type    = listOf(int)
  default = []
}
option "u" {
  type    = attrsOf(submodule)
  default = {}
  option "x" {
    type    = int
    default = config.n0
  }
  option "y" {
    type    = str
    default = name
  }
  option "z" {
    type    = int
    default = self.x + 1
  }
}
config {
  u "a" {}
}
`)
		}
		for range 4 {
			i := 1 + r.IntN(n-1)
			switch r.IntN(5) {
			case 0:
				fmt.Fprintf(&b, "config {\n  n%d = mkIf(%s, mkDefault(%s))\n}\n", i, cond(i), read(i))
			case 1:
				fmt.Fprintf(&b, "config {\n  when = %s\n  l = [%s]\n  n%d = mkDefault(%s)\n}\n", cond(i), read(i), i, read(i))
			case 2:
				fmt.Fprintf(&b, "config {\n  l = mkBefore([%s])\n}\n", read(n))
			case 3:
				fmt.Fprintf(&b, "config {\n  u \"m%d\" { x = %s }\n}\n", k, read(n))
			default:
				fmt.Fprintf(&b, "config {\n  n%d = mkOverride(%d, %s)\n}\n", i, 90+r.IntN(20), read(i))
			}
		}
		name := fmt.Sprintf("p%d.hcl", k)
		imports = append(imports, fmt.Sprintf("%q", "./"+name))
		fsys[name] = &fstest.MapFile{Data: []byte(b.String())}
	}
	for h := range hosts {
		var b strings.Builder
		fmt.Fprintf(&b, "imports = [%s]\n", strings.Join(imports, ", "))
		for range r.IntN(4) {
			i := 1 + r.IntN(n-1)
			switch r.IntN(5) {
			case 0:
				fmt.Fprintf(&b, "config {\n  n%d = mkForce(%s)\n}\n", i, read(i))
			case 1:
				fmt.Fprintf(&b, "config {\n  b%d = mkForce(%t)\n}\n", r.IntN(mods), r.IntN(2) == 0)
			case 2:
				fmt.Fprintf(&b, "config {\n  l = [%d]\n}\n", r.IntN(9))
			case 3:
				fmt.Fprintf(&b, "config {\n  u \"h\" { x = %s }\n}\n", read(n))
			default:
				fmt.Fprintf(&b, "config {\n  n%d = mkOverride(95, %d)\n}\n", i, r.IntN(9))
			}
		}
		fsys[fmt.Sprintf("host%d.hcl", h)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// outcome is everything an evaluation answers, as text.
func outcome(t *testing.T, res *Result, diags error) string {
	t.Helper()
	if res == nil {
		return "eval: " + diags.Error()
	}
	var b strings.Builder
	j, jd := res.JSON("")
	fmt.Fprintf(&b, "%s %v\n", j, jd)
	for _, p := range []string{"u.a.x", "n7", "l"} {
		ex, ed := res.Explain(p)
		if ex == nil {
			fmt.Fprintf(&b, "explain %s: %v\n", p, ed)
			continue
		}
		fmt.Fprintf(&b, "explain %s = %s:", p, showValue(ex.Value))
		for _, d := range ex.Definitions {
			fmt.Fprintf(&b, " [%s %d %s %s]", d.Range, d.Priority, d.Status, showValue(d.Value))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestCacheValues evaluates random hosts over random module sets, in
// random order and with changing arguments, each once over a shared Cache
// and once alone: values kept in the Cache must never change an answer.
// It also checks that values are kept and taken over at all.
func TestCacheValues(t *testing.T) {
	taken := 0
	for seed := range uint64(40) {
		fsys := memoModules(seed, 3)
		cache := &Cache{}
		r := rand.New(rand.NewPCG(seed, 99))
		for round := range 8 {
			host := fmt.Sprintf("host%d.hcl", r.IntN(3))
			args := map[string]cty.Value{"v": cty.NumberIntVal(int64(r.IntN(2) * 5))}
			alone, ad := (&Config{FS: fsys, Args: args}).Eval(host)
			want := outcome(t, alone, ad)
			kept, kd := (&Config{FS: fsys, Args: args, Cache: cache}).Eval(host)
			if kept != nil {
				for _, o := range kept.e.topOpts {
					if o.reused {
						taken++
					}
				}
			}
			if got := outcome(t, kept, kd); got != want {
				t.Fatalf("seed %d round %d (%s, v=%s): with a Cache:\n%s\nalone:\n%s\nmodules:\n%s",
					seed, round, host, showValue(args["v"]), got, want, dumpFS(fsys))
			}
		}
	}
	if taken < 1000 {
		t.Errorf("%d values were taken over from the Cache; the test no longer tests keeping them", taken)
	}
}

func dumpFS(fsys fstest.MapFS) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(fsys)) {
		fmt.Fprintf(&b, "-- %s --\n%s", name, fsys[name].Data)
	}
	return b.String()
}

// TestCacheValuesConcurrent evaluates hosts and arguments on several
// goroutines over one Cache: values kept by one evaluation and taken over
// by another, while both run, must still give the answers of evaluations
// without a Cache.
func TestCacheValuesConcurrent(t *testing.T) {
	for seed := range uint64(4) {
		fsys := memoModules(100+seed, 3)
		type job struct {
			host string
			v    int64
		}
		var jobs []job
		want := map[job]string{}
		for h := range 3 {
			for _, v := range []int64{0, 5} {
				j := job{fmt.Sprintf("host%d.hcl", h), v}
				jobs = append(jobs, j)
				args := map[string]cty.Value{"v": cty.NumberIntVal(v)}
				res, diags := (&Config{FS: fsys, Args: args}).Eval(j.host)
				want[j] = outcome(t, res, diags)
			}
		}
		cache := &Cache{}
		errs := make(chan string, 4*len(jobs))
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range jobs {
					j := jobs[(i+g*2)%len(jobs)]
					args := map[string]cty.Value{"v": cty.NumberIntVal(j.v)}
					res, diags := (&Config{FS: fsys, Args: args, Cache: cache}).Eval(j.host)
					if got := outcome(t, res, diags); got != want[j] {
						errs <- fmt.Sprintf("seed %d, %s with v=%d on goroutine %d:\n%s\nwant:\n%s", seed, j.host, j.v, g, got, want[j])
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}
