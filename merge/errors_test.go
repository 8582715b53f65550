package merge_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-build/strata/merge"
)

// evalFiles evaluates main.hcl of files and then the JSON of attr.
func evalFiles(files map[string]string, attr string) ([]byte, hcl.Diagnostics) {
	fsys := fstest.MapFS{}
	for n, s := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	res, diags := (&merge.Config{FS: fsys}).Eval("main.hcl")
	if diags.HasErrors() {
		return nil, diags
	}
	out, gd := res.JSON(attr)
	return out, append(diags, gd...)
}

// placesOf returns every place of a diagnostic as FILE:LINE, sorted.
func placesOf(d *hcl.Diagnostic) []string {
	var out []string
	if p, ok := d.Extra.(interface{ Places() []hcl.Range }); ok {
		for _, r := range p.Places() {
			out = append(out, fmt.Sprintf("%s:%d", r.Filename, r.Start.Line))
		}
	}
	sort.Strings(out)
	return out
}

const webOptions = `
option "services.web.enable" {
  type    = bool
  default = false
}
option "services.web.port" {
  type    = port
  default = 8080
}
`

// TestErrorClasses checks, for every error class of spec section 7, the
// summary, that the detail names the option path and the words the spec
// asks for, and every place.
func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name        string
		files       map[string]string
		attr        string
		wantSummary string
		wantDetail  []string
		wantPlaces  []string
	}{
		{
			name: "conflict",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\", \"./b.hcl\"]\nconfig {\n  services = { web = { port = 1 } }\n}\n",
				"web.hcl":  webOptions,
				"b.hcl":    "config {\n  services {\n    web { port = 2 }\n  }\n}\n",
			},
			attr:        "services.web.port",
			wantSummary: "Conflicting definitions",
			wantDetail:  []string{"services.web.port", "conflicting", "main.hcl:3: 1", "b.hcl:3: 2"},
			wantPlaces:  []string{"b.hcl:3", "main.hcl:3"},
		},
		{
			name: "type",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\"]\nconfig {\n  services = { web = { port = \"http\" } }\n}\n",
				"web.hcl":  webOptions,
			},
			attr:        "services.web.port",
			wantSummary: "Value not of the option's type",
			wantDetail:  []string{"services.web.port", "not of type", "16 bit unsigned integer", "main.hcl:3", `"http"`},
			wantPlaces:  []string{"main.hcl:3"},
		},
		{
			name: "undeclared",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\"]\nconfig {\n  services = { web = { prot = 1 } }\n}\n",
				"web.hcl":  webOptions,
			},
			attr:        "services.web.port",
			wantSummary: "Option does not exist",
			wantDetail:  []string{"services.web.prot", "does not exist", "did you mean services.web.port"},
			wantPlaces:  []string{"main.hcl:3"},
		},
		{
			name: "declared twice",
			files: map[string]string{
				"main.hcl":  "imports = [\"./other.hcl\"]\noption \"a\" {\n  type = int\n  default = 1\n}\n",
				"other.hcl": "option \"a\" {\n  type = int\n  default = 2\n}\n",
			},
			attr:        "a",
			wantSummary: "Option declared twice",
			wantDetail:  []string{"The option a", "declared", "main.hcl:2", "other.hcl:1"},
			wantPlaces:  []string{"main.hcl:2", "other.hcl:1"},
		},
		{
			name:        "used but not defined",
			files:       map[string]string{"main.hcl": "option \"a.b\" { type = str }\n"},
			attr:        "a.b",
			wantSummary: "Option used but not defined",
			wantDetail:  []string{"a.b", "not defined", "main.hcl:1"},
			wantPlaces:  []string{"main.hcl:1"},
		},
		{
			name: "readOnly set twice",
			files: map[string]string{
				"main.hcl": "option \"v\" {\n  type = str\n  readOnly = true\n}\nconfig { v = \"x\" }\nconfig {\n  v = \"x\"\n}\n",
			},
			attr:        "v",
			wantSummary: "Option defined more than once",
			wantDetail:  []string{"The option v", "read-only", "main.hcl:5", "main.hcl:7"},
			wantPlaces:  []string{"main.hcl:5", "main.hcl:7"},
		},
		{
			name: "uniq set twice",
			files: map[string]string{
				"main.hcl": "option \"v\" { type = uniq(int) }\nconfig { v = 1 }\nconfig { v = 1 }\n",
			},
			attr:        "v",
			wantSummary: "Option defined more than once",
			wantDetail:  []string{"The option v", "uniq", "main.hcl:2", "main.hcl:3"},
			wantPlaces:  []string{"main.hcl:2", "main.hcl:3"},
		},
		{
			name: "raw set twice",
			files: map[string]string{
				"main.hcl": "option \"v\" { type = raw }\nconfig { v = 1 }\nconfig { v = 2 }\n",
			},
			attr:        "v",
			wantSummary: "Option defined more than once",
			wantDetail:  []string{"The option v", "raw", "main.hcl:2", "main.hcl:3"},
			wantPlaces:  []string{"main.hcl:2", "main.hcl:3"},
		},
		{
			name: "mkIf condition not a bool",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\"]\nconfig {\n  services = { web = { port = mkIf(\"true\", 1) } }\n}\n",
				"web.hcl":  webOptions,
			},
			attr:        "services.web.port",
			wantSummary: "Condition is not a bool",
			wantDetail:  []string{"services.web.port", "bool", "string"},
			wantPlaces:  []string{"main.hcl:3"},
		},
		{
			name: "when condition not a bool",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\"]\nconfig {\n  when = 1\n  services = { web = { port = 1 } }\n}\n",
				"web.hcl":  webOptions,
			},
			attr:        "services.web.port",
			wantSummary: "Condition is not a bool",
			wantDetail:  []string{"services.web.port", "bool", "number"},
			wantPlaces:  []string{"main.hcl:3"},
		},
		{
			name: "cycle",
			files: map[string]string{
				"main.hcl": "option \"a\" { type = int }\noption \"b\" { type = int }\nconfig {\n  a = config.b + 1\n  b = config.a + 1\n}\n",
			},
			attr:        "a",
			wantSummary: "Dependency cycle",
			wantDetail:  []string{"a needs b at main.hcl:4", "b needs a at main.hcl:5", "cycle"},
			wantPlaces:  []string{"main.hcl:4", "main.hcl:5"},
		},
		{
			name: "import not found",
			files: map[string]string{
				"main.hcl": "\nimports = [\n  \"./missing.hcl\",\n]\n",
			},
			wantSummary: "Module not found",
			wantDetail:  []string{"missing.hcl", "main.hcl:2"},
			wantPlaces:  []string{"main.hcl:2", "main.hcl:3"},
		},
		{
			name: "syntax nested too deeply",
			files: map[string]string{
				"main.hcl": "imports = [\"./deep.hcl\"]\n",
				"deep.hcl": "option \"a\" {\n  type = listOf(anything)\n  default = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n}\n",
			},
			wantSummary: "Nested too deeply",
			wantDetail:  []string{"10000"},
			wantPlaces:  []string{"deep.hcl:3"},
		},
		{
			name: "failed assertion",
			files: map[string]string{
				"main.hcl": "option \"a\" {\n  type = int\n  default = 1\n}\nassert {\n  condition = config.a == 2\n  message = \"a must be ${config.a + 1}\"\n}\n",
			},
			wantSummary: "Failed assertion",
			wantDetail:  []string{"a must be 2", "main.hcl:5"},
			wantPlaces:  []string{"main.hcl:5", "main.hcl:6"},
		},
		{
			name: "value for a namespace",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\"]\nconfig {\n  services { web = 8080 }\n}\n",
				"web.hcl":  webOptions,
			},
			wantSummary: "Value given for a namespace",
			wantDetail:  []string{"services.web", "namespace", "number"},
			wantPlaces:  []string{"main.hcl:3"},
		},
		{
			name: "override around override",
			files: map[string]string{
				"main.hcl": "imports = [\"./web.hcl\"]\nconfig {\n  services = { web = { port = mkForce(mkDefault(1)) } }\n}\n",
				"web.hcl":  webOptions,
			},
			attr:        "services.web.port",
			wantSummary: "Property function not allowed here",
			wantDetail:  []string{"services.web.port", "mkForce", "mkDefault"},
			wantPlaces:  []string{"main.hcl:3"},
		},
		{
			name: "wrapper in default",
			files: map[string]string{
				"main.hcl": "option \"a\" {\n  type = int\n  default = mkForce(1)\n}\n",
			},
			attr:        "a",
			wantSummary: "Property function not allowed here",
			wantDetail:  []string{"default of option a", "mkForce"},
			wantPlaces:  []string{"main.hcl:1", "main.hcl:3"},
		},
		{
			name: "submodule sub-option conflict",
			files: map[string]string{
				"main.hcl": "option \"fs\" {\n  type = attrsOf(submodule)\n  option \"t\" { type = str }\n}\nconfig {\n  fs \"/\" { t = \"a\" }\n}\nconfig {\n  fs = { \"/\" = { t = \"b\" } }\n}\n",
			},
			attr:        "fs",
			wantSummary: "Conflicting definitions",
			wantDetail:  []string{`fs."/".t`, "conflicting", "main.hcl:6", "main.hcl:9"},
			wantPlaces:  []string{"main.hcl:6", "main.hcl:9"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := evalFiles(tc.files, tc.attr)
			var errs hcl.Diagnostics
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					errs = append(errs, d)
				}
			}
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1:\n%s", len(errs), renderDiags(diags))
			}
			d := errs[0]
			if d.Summary != tc.wantSummary {
				t.Errorf("summary = %q, want %q", d.Summary, tc.wantSummary)
			}
			for _, w := range tc.wantDetail {
				if !strings.Contains(d.Detail, w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail)
				}
			}
			if diff := cmp.Diff(tc.wantPlaces, placesOf(d)); diff != "" {
				t.Errorf("places (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllAssertionsReported checks that every failing assertion is
// reported at once, in source order.
func TestAllAssertionsReported(t *testing.T) {
	_, diags := evalFiles(map[string]string{
		"main.hcl": "assert {\n  condition = false\n  message = \"one\"\n}\nassert {\n  condition = true\n  message = \"ok\"\n}\nassert {\n  condition = false\n  message = \"two\"\n}\n",
	}, "")
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{"Failed assertion: one (assert at main.hcl:1)", "Failed assertion: two (assert at main.hcl:9)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBadTypes checks that malformed types are located errors, not panics
// (reduction of a FuzzEval crash: enum() with no argument).
func TestBadTypes(t *testing.T) {
	for _, ty := range []string{"enum()", "strMatching()", "separatedString()", "intBetween(1)", "oneOf()", "either(int)", "listOf()", "attrsOf(nope)", "foo", "str(1)", "a.b", "1"} {
		t.Run(ty, func(t *testing.T) {
			_, diags := evalFiles(map[string]string{"main.hcl": "option \"a\" {\n  type = " + ty + "\n}\n"}, "")
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			d := diags[0]
			if d.Subject == nil || d.Subject.Filename != "main.hcl" || d.Subject.Start.Line != 2 {
				t.Errorf("error not at main.hcl:2: %s", renderDiags(diags))
			}
		})
	}
}
