package merge_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
)

// decodeModule declares and defines a little of everything Decode has to
// handle. Line numbers matter: the tests check where diagnostics point.
const decodeModule = `option "fileSystems" {
  type    = attrsOf(submodule)
  default = {}
  option "device" {
    type    = nullOr(str)
    default = null
  }
  option "fsType" {
    type    = str
    default = "auto"
  }
  option "options" {
    type    = listOf(str)
    default = ["defaults"]
  }
  option "neededForBoot" {
    type    = bool
    default = false
  }
}
option "services.web.port" {
  type    = port
  default = 8080
}
option "services.web.listen" {
  type    = str
  default = "127.0.0.1"
}
option "boot.kernelParams" {
  type    = listOf(str)
  default = []
}
config {
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "ext4"
  }
  fileSystems "/boot" {
    device  = "/dev/sda2"
    fsType  = "vfat"
    options = ["umask=077"]
  }
  services {
    web {
      port = 443
    }
  }
  boot {
    kernelParams = ["quiet", "console=ttyS0"]
  }
}
`

// lineOf returns the line of decodeModule that holds text.
func lineOf(text string) int { return lineIn(decodeModule, text) }

// lineIn returns the line of src that holds text, which must occur once.
func lineIn(src, text string) int {
	if n := strings.Count(src, text); n != 1 {
		panic(fmt.Sprintf("lineIn: %q occurs %d times", text, n))
	}
	i := strings.Index(src, text)
	return strings.Count(src[:i], "\n") + 1
}

func evalDecodeModule(t *testing.T) *merge.Result {
	t.Helper()
	c := &merge.Config{FS: fstest.MapFS{"host.hcl": {Data: []byte(decodeModule)}}}
	r, diags := c.Eval("host.hcl")
	if diags.HasErrors() {
		t.Fatalf("Eval: %s", diags.Error())
	}
	return r
}

type fileSystem struct {
	Device        *string  `cty:"device"`
	FSType        string   `cty:"fsType"`
	Options       []string `cty:"options"`
	NeededForBoot bool     `cty:"neededForBoot"`
}

type jsonFileSystem struct {
	Device string `json:"device,omitempty"`
	Type   string `json:"fsType"`
}

type fsTypeOnly struct {
	FSType string `cty:"fsType"`
}

type embeddedOptions struct {
	Options []string `cty:"options"`
}

type embedding struct {
	embeddedOptions
	FsType string // matched ignoring case
	Device string `cty:"-"`
}

type web struct {
	Port   uint16
	Listen netip.Addr
}

func ptr[T any](v T) *T { return &v }

func TestDecode(t *testing.T) {
	r := evalDecodeModule(t)
	tests := []struct {
		name   string
		path   string
		strict bool
		target func() any // a new pointer to decode into
		want   any        // what the pointer points to afterwards
	}{
		{
			name:   "cty tags",
			path:   "fileSystems",
			target: func() any { return new(map[string]fileSystem) },
			want: map[string]fileSystem{
				"/":     {Device: ptr("/dev/sda1"), FSType: "ext4", Options: []string{"defaults"}},
				"/boot": {Device: ptr("/dev/sda2"), FSType: "vfat", Options: []string{"umask=077"}},
			},
		},
		{
			name:   "json tags",
			path:   `fileSystems."/boot"`,
			target: func() any { return new(jsonFileSystem) },
			want:   jsonFileSystem{Device: "/dev/sda2", Type: "vfat"},
		},
		{
			name:   "field names, embedded structs and skipped fields",
			path:   `fileSystems."/boot"`,
			target: func() any { return new(embedding) },
			want:   embedding{embeddedOptions: embeddedOptions{Options: []string{"umask=077"}}, FsType: "vfat"},
		},
		{
			name:   "namespace into a struct with a TextUnmarshaler",
			path:   "services.web",
			target: func() any { return new(web) },
			want:   web{Port: 443, Listen: netip.MustParseAddr("127.0.0.1")},
		},
		{
			name:   "list into an array",
			path:   "boot.kernelParams",
			target: func() any { return new([2]string) },
			want:   [2]string{"quiet", "console=ttyS0"},
		},
		{
			name:   "null into a string",
			path:   `fileSystems."/".device`,
			target: func() any { s := "old"; return &s },
			want:   "/dev/sda1",
		},
		{
			name:   "any",
			path:   "services.web",
			target: func() any { return new(any) },
			want:   any(map[string]any{"port": 443, "listen": "127.0.0.1"}),
		},
		{
			name:   "cty.Value",
			path:   "services.web.port",
			target: func() any { return new(cty.Value) },
			want:   cty.NumberIntVal(443),
		},
		{
			name:   "strict with every attribute taken",
			path:   "fileSystems",
			strict: true,
			target: func() any { return new(map[string]fileSystem) },
			want: map[string]fileSystem{
				"/":     {Device: ptr("/dev/sda1"), FSType: "ext4", Options: []string{"defaults"}},
				"/boot": {Device: ptr("/dev/sda2"), FSType: "vfat", Options: []string{"umask=077"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target()
			decode := r.Decode
			if tc.strict {
				decode = r.DecodeStrict
			}
			if diags := decode(tc.path, target); diags.HasErrors() {
				t.Fatalf("Decode(%q): %s", tc.path, diags.Error())
			}
			got := reflectElem(target)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(embedding{}), cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) })); diff != "" {
				t.Errorf("Decode(%q) (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// reflectElem returns what the pointer p points to, as an any.
func reflectElem(p any) any {
	switch p := p.(type) {
	case *map[string]fileSystem:
		return *p
	case *jsonFileSystem:
		return *p
	case *embedding:
		return *p
	case *web:
		return *p
	case *[2]string:
		return *p
	case *string:
		return *p
	case *any:
		return *p
	case *cty.Value:
		return *p
	}
	panic(fmt.Sprintf("reflectElem: add a case for %T", p))
}

func TestDecodeErrors(t *testing.T) {
	r := evalDecodeModule(t)
	tests := []struct {
		name   string
		path   string
		strict bool
		target any
		// want is one entry per diagnostic: a piece of its detail and
		// the line of its subject in host.hcl.
		want []wantDiag
	}{
		{
			name:   "number out of range",
			path:   "services.web.port",
			target: new(int8),
			want:   []wantDiag{{detail: "services.web.port: 443 does not fit in int8", line: lineOf("port = 443")}},
		},
		{
			name: "string into a number",
			path: "fileSystems",
			target: new(map[string]struct {
				FSType int `cty:"fsType"`
			}),
			want: []wantDiag{
				{detail: `fileSystems."/".fsType: cannot decode a string into int`, line: lineOf(`fsType = "ext4"`)},
				{detail: `fileSystems."/boot".fsType: cannot decode a string into int`, line: lineOf(`fsType  = "vfat"`)},
			},
		},
		{
			name:   "list element",
			path:   "boot.kernelParams",
			target: new([]int),
			want: []wantDiag{
				{detail: "boot.kernelParams[0]: cannot decode a string into int", line: lineOf("kernelParams = [")},
				{detail: "boot.kernelParams[1]: cannot decode a string into int", line: lineOf("kernelParams = [")},
			},
		},
		{
			name:   "an attrsOf key placed at the definition that gives it",
			path:   "fileSystems",
			target: new(map[string]int),
			want: []wantDiag{
				{detail: `fileSystems."/": cannot decode an object into int`, line: lineOf(`fileSystems "/" {`)},
				{detail: `fileSystems."/boot": cannot decode an object into int`, line: lineOf(`fileSystems "/boot" {`)},
			},
		},
		{
			name:   "array of the wrong length",
			path:   "boot.kernelParams",
			target: new([3]string),
			want:   []wantDiag{{detail: "boot.kernelParams: a list of 2 elements does not fit in [3]string", line: lineOf("kernelParams = [")}},
		},
		{
			name:   "strict rejects an unknown attribute",
			path:   `fileSystems."/"`,
			strict: true,
			target: new(fsTypeOnly),
			want: []wantDiag{
				// Sorted by place: the defaults come from the
				// declarations, above the definitions.
				{detail: `fileSystems."/".options, but merge_test.fsTypeOnly has no field for "options"`, line: lineOf(`default = ["defaults"]`)},
				{detail: `fileSystems."/".neededForBoot, but merge_test.fsTypeOnly has no field for "neededForBoot"`, line: lineOf("default = false")},
				{detail: `fileSystems."/".device, but merge_test.fsTypeOnly has no field for "device" (its fields take "fsType")`, line: lineOf(`device = "/dev/sda1"`)},
			},
		},
		{
			name:   "no such path",
			path:   "services.nope",
			target: new(any),
			want:   []wantDiag{{detail: "services.nope"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			decode := r.Decode
			if tc.strict {
				decode = r.DecodeStrict
			}
			diags := decode(tc.path, tc.target)
			checkDiags(t, diags, tc.want)
		})
	}
}

// wantDiag is one expected error: a piece of its Detail, and the line of
// its Subject (0: any place, or none).
type wantDiag struct {
	detail string
	line   int
}

func checkDiags(t *testing.T, diags hcl.Diagnostics, want []wantDiag) {
	t.Helper()
	errs := diags.Errs()
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d:\n%s", len(errs), len(want), diags.Error())
		return
	}
	for i, w := range want {
		d := diags[i]
		if !strings.Contains(d.Detail, w.detail) {
			t.Errorf("error %d: detail %q does not contain %q", i, d.Detail, w.detail)
		}
		if w.line == 0 {
			continue
		}
		if d.Subject == nil {
			t.Errorf("error %d (%s): no subject, want host.hcl:%d", i, d.Detail, w.line)
			continue
		}
		if d.Subject.Filename != "host.hcl" || d.Subject.Start.Line != w.line {
			t.Errorf("error %d (%s): subject %s:%d, want host.hcl:%d", i, d.Detail, d.Subject.Filename, d.Subject.Start.Line, w.line)
		}
		if p, ok := d.Extra.(interface{ Places() []hcl.Range }); !ok || len(p.Places()) == 0 {
			t.Errorf("error %d (%s): Extra has no Places", i, d.Detail)
		}
	}
}

type hidden struct{ Port int }

type withHidden struct {
	*hidden
	Listen string `cty:"listen"`
}

// TestDecodeOddTargets checks that targets Decode cannot fill give errors,
// never panics.
func TestDecodeOddTargets(t *testing.T) {
	r := evalDecodeModule(t)
	tests := []struct {
		name   string
		path   string
		target any
		want   string // a piece of the one error's detail; "" for none
	}{
		{name: "channel", path: "services.web.port", target: new(chan int), want: "cannot decode into chan int"},
		{name: "function", path: "services.web.port", target: new(func()), want: "cannot decode into func()"},
		{name: "interface with methods", path: "services.web.port", target: new(fmt.Stringer), want: "interface with methods"},
		{name: "map with int keys", path: "fileSystems", target: new(map[int]fileSystem), want: "map keys must be strings"},
		{name: "pointer to pointer", path: "services.web.listen", target: new(**string)},
		{name: "unexported embedded pointer", path: "services.web", target: new(withHidden), want: "unexported embedded pointer"},
		{name: "bool into a string", path: `fileSystems."/".neededForBoot`, target: new(string), want: "cannot decode a bool into string"},
		{name: "number into a float32", path: "services.web.port", target: new(float32)},
		{name: "too big for uint8", path: "services.web.port", target: new(uint8), want: "443 does not fit in uint8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := r.Decode(tc.path, tc.target)
			if tc.want == "" {
				if diags.HasErrors() {
					t.Errorf("Decode(%s, %T): %s", tc.path, tc.target, diags.Error())
				}
				return
			}
			if len(diags) != 1 || !strings.Contains(diags[0].Detail, tc.want) {
				t.Errorf("Decode(%s, %T) = %v, want one error saying %q", tc.path, tc.target, diags, tc.want)
			}
		})
	}
}

func TestDecodePanics(t *testing.T) {
	r := evalDecodeModule(t)
	tests := []struct {
		name   string
		target any
	}{
		{name: "nil", target: nil},
		{name: "not a pointer", target: fileSystem{}},
		{name: "nil pointer", target: (*fileSystem)(nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, "consider passing &v") {
					t.Errorf("Decode(%T) panic = %q, want a message that says what to do", tc.target, msg)
				}
			}()
			r.Decode("fileSystems", tc.target)
		})
	}
}

// Decode stores a part of the merged configuration in Go values; struct
// fields name their options with cty (or json) tags.
func ExampleResult_Decode() {
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(`
option "fileSystems" {
  type    = attrsOf(submodule)
  default = {}
  option "device" {
    type = str
  }
  option "fsType" {
    type    = str
    default = "auto"
  }
}
config {
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "ext4"
  }
  fileSystems "/data" {
    device = "/dev/sdb1"
  }
}
`)}}
	r, diags := (&merge.Config{FS: fsys}).Eval("host.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	type FileSystem struct {
		Device string `cty:"device"`
		Type   string `cty:"fsType"`
	}
	var mounts map[string]FileSystem
	if diags := r.Decode("fileSystems", &mounts); diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	fmt.Println(mounts["/"].Device, mounts["/"].Type)
	fmt.Println(mounts["/data"].Device, mounts["/data"].Type)
	// Output:
	// /dev/sda1 ext4
	// /dev/sdb1 auto
}

// FuzzDecode decodes arbitrary values of an anything option into targets
// of every kind: Decode may report errors, but never panic.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`1`, `-1`, `1.5`, `1e400`, `"s"`, `true`, `null`, `[]`, `{}`,
		`[1, "a", true, null]`, `{a = 1, B = "x", "c d" = [1, 2]}`,
		`{port = 70000, hosts = ["a"], nested = {x = {y = 1}}}`,
		`[[1, 2], [3]]`, `{"/" = {device = "/dev/sda1"}}`,
	} {
		f.Add(seed)
	}
	type inner struct {
		X *struct{ Y int8 } `cty:"x"`
	}
	type target struct {
		Port   uint16            `cty:"port"`
		Hosts  []string          `cty:"hosts"`
		Nested map[string]inner  `cty:"nested"`
		A      float32           `json:"a"`
		B      *string           `json:"B"`
		CD     [2]int            `cty:"c d"`
		Rest   map[string]any    `cty:"rest"`
		Raw    cty.Value         `cty:"raw"`
		Deep   map[string][]bool `cty:"deep"`
	}
	f.Fuzz(func(t *testing.T, src string) {
		if strings.Contains(src, "\n}") || strings.Contains(src, "option") {
			return // keep the value inside its attribute
		}
		module := "option \"v\" {\n  type = anything\n}\nconfig {\n  v = " + src + "\n}\n"
		r, diags := (&merge.Config{FS: fstest.MapFS{"m.hcl": {Data: []byte(module)}}}).Eval("m.hcl")
		if diags.HasErrors() {
			return
		}
		for _, p := range []any{new(target), new(map[string]target), new([]target), new(any), new(string), new(int64), new([]int), new(cty.Value), new(map[netip.Addr]int)} {
			r.Decode("v", p)
			r.DecodeStrict("v", p)
		}
	})
}

// DecodeStrict is Decode that also reports every attribute the Go value has
// no field for, so a struct cannot silently miss a setting.
func ExampleResult_DecodeStrict() {
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(`option "services.web.port" {
  type    = port
  default = 80
}
option "services.web.tls" {
  type    = bool
  default = false
}
config {
  services {
    web { port = 8443 }
  }
}
`)}}
	r, diags := (&merge.Config{FS: fsys}).Eval("host.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	var web struct {
		Port uint16 `cty:"port"`
	}
	for _, d := range r.DecodeStrict("services.web", &web) {
		fmt.Printf("%s:%d: %s\n", d.Subject.Filename, d.Subject.Start.Line, d.Summary)
	}
	fmt.Println("port:", web.Port)
	// Output:
	// host.hcl:7: No field for attribute
	// port: 8443
}
