package merge_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
)

// concurrentModules is a configuration whose values depend on each other
// and on arg.n, so that concurrent evaluations with different arguments
// must give different results and concurrent reads of one result race for
// the same options.
var concurrentModules = fstest.MapFS{
	"main.hcl": {Data: []byte(`imports = ["./web.hcl"]
config {
  services {
    web {
      enable = arg.n % 2 == 0
      port   = 8000 + arg.n
    }
  }
  networking { hostName = "host-${arg.n}" }
  fileSystems "/" {
    device = "/dev/sda${arg.n}"
  }
}
`)},
	"web.hcl": {Data: []byte(`option "services.web.enable" {
  type    = bool
  default = false
}
option "services.web.port" {
  type = port
}
option "networking.hostName" {
  type = str
}
option "networking.firewall.allowedTCPPorts" {
  type    = listOf(port)
  default = []
}
option "fileSystems" {
  type    = attrsOf(submodule)
  default = {}
  option "device" {
    type = str
  }
  option "label" {
    type    = str
    default = "${config.networking.hostName}-${name}"
  }
}
config {
  when = config.services.web.enable
  networking {
    firewall { allowedTCPPorts = [config.services.web.port] }
  }
}
`)},
}

// TestConcurrentEval evaluates 8 configurations at once, then reads one
// result from many goroutines at once; run it with -race. Every answer must
// equal the one a lone goroutine gets.
func TestConcurrentEval(t *testing.T) {
	const configs = 8
	cache := &merge.Cache{}
	results := make([]*merge.Result, configs)
	var wg sync.WaitGroup
	for i := range configs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &merge.Config{
				FS:    concurrentModules,
				Args:  map[string]cty.Value{"n": cty.NumberIntVal(int64(i))},
				Cache: cache,
			}
			r, diags := c.EvalContext(context.Background(), "main.hcl")
			if diags.HasErrors() {
				t.Errorf("configuration %d: %s", i, diags.Error())
				return
			}
			results[i] = r
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, r := range results {
		var got struct {
			Port   int  `cty:"port"`
			Enable bool `cty:"enable"`
		}
		if diags := r.Decode("services.web", &got); diags.HasErrors() {
			t.Fatalf("configuration %d: %s", i, diags.Error())
		}
		if got.Port != 8000+i {
			t.Errorf("configuration %d: port %d, want %d", i, got.Port, 8000+i)
		}
	}

	// Many readers of one fresh result: the first reads of each option
	// race to merge it.
	fresh, diags := (&merge.Config{
		FS:   concurrentModules,
		Args: map[string]cty.Value{"n": cty.NumberIntVal(2)},
	}).Eval("main.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := readAll(t, results[2])
	const readers = 32
	got := make([]map[string]string, readers)
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = readAll(t, fresh)
		}()
	}
	wg.Wait()
	for i := range readers {
		if diff := cmp.Diff(want, got[i]); diff != "" {
			t.Errorf("reader %d (-want +got):\n%s", i, diff)
		}
	}
}

// readAll reads r through every read method, in an order that depends on
// nothing but r, and returns what it read as text.
func readAll(t *testing.T, r *merge.Result) map[string]string {
	out := map[string]string{}
	for _, p := range []string{
		`fileSystems."/".label`,
		"networking.firewall.allowedTCPPorts",
		"services.web",
		"fileSystems",
		"networking.hostName",
	} {
		v, diags := r.Get(p)
		if diags.HasErrors() {
			t.Errorf("Get(%s): %s", p, diags.Error())
			continue
		}
		out["get "+p] = v.GoString()
		b, diags := r.JSON(p)
		if diags.HasErrors() {
			t.Errorf("JSON(%s): %s", p, diags.Error())
		}
		out["json "+p] = string(b)
	}
	x, diags := r.Explain("services.web.port")
	if diags.HasErrors() {
		t.Errorf("Explain: %s", diags.Error())
	} else {
		for i, d := range x.Definitions {
			out[fmt.Sprintf("explain %d", i)] = fmt.Sprintf("%s %s %s %s", d.Range, d.Priority, d.Status, d.Value.GoString())
		}
	}
	var fs map[string]struct {
		Device string `cty:"device"`
		Label  string `cty:"label"`
	}
	if diags := r.DecodeStrict("fileSystems", &fs); diags.HasErrors() {
		t.Errorf("DecodeStrict: %s", diags.Error())
	}
	out["decode"] = fmt.Sprint(fs)
	for _, o := range r.Options() {
		out["option "+o.Path.String()] = o.Type
	}
	b, err := r.MarshalJSON()
	if err != nil {
		t.Errorf("MarshalJSON: %v", err)
	}
	out["whole"] = string(b)
	out["warnings"] = fmt.Sprint(len(r.Warnings()))
	return out
}
