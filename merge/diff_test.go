package merge_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/priority"
)

// diffBase declares the options of the diff tests; the hosts define them.
const diffBase = `option "networking.hostName" {
  type    = str
  default = "nixos"
}
option "services.openssh.enable" {
  type    = bool
  default = false
}
option "boot.kernelParams" {
  type    = listOf(str)
  default = []
}
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
  services {
    openssh { enable = mkDefault(true) }
  }
  boot { kernelParams = ["quiet"] }
}
`

const diffHostOld = `imports = ["./base.hcl"]
config {
  networking { hostName = "web1" }
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "ext4"
  }
}
`

const diffHostNew = `imports = ["./base.hcl"]
config {
  networking { hostName = "web1" }
  services {
    openssh { enable = false }
  }
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "btrfs"
  }
  fileSystems "/data" {
    device = "/dev/sdb1"
  }
}
`

// diffExtra declares an option only the new side has.
const diffExtra = `option "services.web.enable" {
  type    = bool
  default = false
}
`

func diffResults(t *testing.T, oldMods, newMods []string) (*merge.Result, *merge.Result) {
	t.Helper()
	fsys := fstest.MapFS{
		"base.hcl":  {Data: []byte(diffBase)},
		"old.hcl":   {Data: []byte(diffHostOld)},
		"new.hcl":   {Data: []byte(diffHostNew)},
		"extra.hcl": {Data: []byte(diffExtra)},
	}
	a, diags := (&merge.Config{FS: fsys}).Eval(oldMods...)
	if diags.HasErrors() {
		t.Fatalf("old: %s", diags.Error())
	}
	b, diags := (&merge.Config{FS: fsys}).Eval(newMods...)
	if diags.HasErrors() {
		t.Fatalf("new: %s", diags.Error())
	}
	return a, b
}

// summary is what the tests compare of one Change: its path, its kind and
// its parts, and the places and priorities of the merged definitions of
// each side.
type summary struct {
	Path     string
	Kind     string
	Parts    []string
	OldPlace []string
	NewPlace []string
}

func summarize(cs merge.Changes) []summary {
	var out []summary
	for _, c := range cs {
		s := summary{Path: c.Path.String()}
		switch {
		case c.Old == nil:
			s.Kind = "added"
		case c.New == nil:
			s.Kind = "removed"
		default:
			s.Kind = "changed"
		}
		for _, p := range c.Parts {
			s.Parts = append(s.Parts, p.Path.String())
		}
		if c.Old != nil {
			s.OldPlace = merged(c.Old.Definitions)
		}
		if c.New != nil {
			s.NewPlace = merged(c.New.Definitions)
		}
		out = append(out, s)
	}
	return out
}

// merged lists the merged definitions as "FILE:LINE PRIORITY".
func merged(ds []*merge.Definition) []string {
	var out []string
	for _, d := range ds {
		if _, ok := d.Status.(merge.Merged); ok {
			out = append(out, fmt.Sprintf("%s:%d %d", d.Range.Filename, d.Range.Start.Line, int(d.Priority)))
		}
	}
	return out
}

// place returns "FILE:LINE PRIORITY" for the line of src that holds text.
func place(file, src, text string, p priority.Priority) string {
	return fmt.Sprintf("%s:%d %d", file, lineIn(src, text), int(p))
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name    string
		oldMods []string
		newMods []string
		want    []summary
	}{
		{
			name:    "same modules",
			oldMods: []string{"old.hcl"},
			newMods: []string{"old.hcl"},
		},
		{
			name:    "a host with and without a change",
			oldMods: []string{"old.hcl"},
			newMods: []string{"new.hcl"},
			want: []summary{
				{
					Path:     "fileSystems",
					Kind:     "changed",
					Parts:    []string{`fileSystems."/".fsType`, `fileSystems."/data"`},
					OldPlace: []string{place("old.hcl", diffHostOld, `fileSystems "/"`, 100)},
					NewPlace: []string{
						place("new.hcl", diffHostNew, `fileSystems "/"`, 100),
						place("new.hcl", diffHostNew, `fileSystems "/data"`, 100),
					},
				},
				{
					Path:     "services.openssh.enable",
					Kind:     "changed",
					OldPlace: []string{place("base.hcl", diffBase, "enable = mkDefault(true)", 1000)},
					NewPlace: []string{place("new.hcl", diffHostNew, "enable = false", 100)},
				},
			},
		},
		{
			name:    "an option declared on one side only",
			oldMods: []string{"old.hcl"},
			newMods: []string{"old.hcl", "extra.hcl"},
			want: []summary{{
				Path:     "services.web.enable",
				Kind:     "added",
				NewPlace: []string{place("extra.hcl", diffExtra, "default = false", priority.OptionDefault)},
			}},
		},
		{
			name:    "and removed",
			oldMods: []string{"old.hcl", "extra.hcl"},
			newMods: []string{"old.hcl"},
			want: []summary{{
				Path:     "services.web.enable",
				Kind:     "removed",
				OldPlace: []string{place("extra.hcl", diffExtra, "default = false", priority.OptionDefault)},
			}},
		},
		{
			name:    "module order that changes no value",
			oldMods: []string{"old.hcl", "extra.hcl"},
			newMods: []string{"extra.hcl", "old.hcl"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := diffResults(t, tc.oldMods, tc.newMods)
			got := summarize(merge.Diff(a, b))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffParts(t *testing.T) {
	a, b := diffResults(t, []string{"old.hcl"}, []string{"new.hcl"})
	cs := merge.Diff(a, b)
	if len(cs) == 0 || cs[0].Path.String() != "fileSystems" {
		t.Fatalf("Diff: want fileSystems first, got %v", summarize(cs))
	}
	parts := cs[0].Parts
	if len(parts) != 2 {
		t.Fatalf("fileSystems has %d parts, want 2", len(parts))
	}
	fsType := parts[0]
	if got, want := fsType.Old.Value.AsString(), "ext4"; got != want {
		t.Errorf("old fsType = %q, want %q", got, want)
	}
	if got, want := fsType.New.Value.AsString(), "btrfs"; got != want {
		t.Errorf("new fsType = %q, want %q", got, want)
	}
	if v := parts[1].Old.Value; v != cty.NilVal {
		t.Errorf(`fileSystems."/data" has an old value %#v, want none`, v)
	}
	// A key of an attrsOf has no explanation of its own: its definitions
	// are those of the option that define the key.
	if got, want := merged(parts[1].New.Definitions), []string{place("new.hcl", diffHostNew, `fileSystems "/data"`, 100)}; !cmp.Equal(got, want) {
		t.Errorf(`definitions of fileSystems."/data" = %q, want %q`, got, want)
	}
	if got := parts[1].Old.Definitions; len(got) != 0 {
		t.Errorf(`old definitions of fileSystems."/data" = %d, want none`, len(got))
	}
}

func TestDiffWriteTo(t *testing.T) {
	a, b := diffResults(t, []string{"old.hcl"}, []string{"new.hcl"})
	var out strings.Builder
	n, err := merge.Diff(a, b).WriteTo(&out)
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != out.Len() {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, out.Len())
	}
	text := out.String()
	for _, want := range []string{
		`~ services.openssh.enable: true -> false`,
		fmt.Sprintf("base.hcl:%d: priority 1000 (mkDefault), merged = true", lineIn(diffBase, "mkDefault(true)")),
		fmt.Sprintf("new.hcl:%d: priority 100 (plain), merged = false", lineIn(diffHostNew, "enable = false")),
		`fileSystems."/".fsType: "ext4" -> "btrfs"`,
		fmt.Sprintf(`old.hcl:%d: priority 100 (plain), merged = "ext4"`, lineIn(diffHostOld, `fsType = "ext4"`)),
		fmt.Sprintf(`new.hcl:%d: priority 100 (plain), merged = "btrfs"`, lineIn(diffHostNew, `fsType = "btrfs"`)),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("WriteTo output lacks %q:\n%s", want, text)
		}
	}
	for _, unwanted := range []string{"networking.hostName", "boot.kernelParams"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("WriteTo output shows %s, which did not change:\n%s", unwanted, text)
		}
	}
	if s := merge.Diff(a, a).String(); s != "" {
		t.Errorf("Diff of a result with itself = %q, want nothing", s)
	}
}

func TestDiffNilPanics(t *testing.T) {
	a, _ := diffResults(t, []string{"old.hcl"}, []string{"old.hcl"})
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "consider") {
			t.Errorf("Diff(r, nil) panic = %q, want a message that says what to do", msg)
		}
	}()
	merge.Diff(a, nil)
}

// Diff lists the options whose values differ between two configurations,
// with the definitions behind each side.
func ExampleDiff() {
	fsys := fstest.MapFS{
		"base.hcl": {Data: []byte(`
option "services.openssh.enable" {
  type    = bool
  default = false
}
config {
  services {
    openssh { enable = mkDefault(true) }
  }
}
`)},
		"host.hcl": {Data: []byte(`
imports = ["./base.hcl"]
config {
  services {
    openssh { enable = false }
  }
}
`)},
	}
	c := &merge.Config{FS: fsys}
	before, diags := c.Eval("base.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	after, diags := c.Eval("host.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	for _, ch := range merge.Diff(before, after) {
		fmt.Println(ch.Path, ch.Old.Value.True(), "->", ch.New.Value.True())
		for _, d := range ch.New.Definitions {
			fmt.Printf("  %s:%d %s %s\n", d.Range.Filename, d.Range.Start.Line, d.Priority.Name(), d.Status)
		}
	}
	// Output:
	// services.openssh.enable true -> false
	//   base.hcl:4 mkOptionDefault shadowed by 100 (plain) at host.hcl:5,15-29
	//   base.hcl:8 mkDefault shadowed by 100 (plain) at host.hcl:5,15-29
	//   host.hcl:5 plain merged
}

// TestDiffWriteToManyDefinitions checks that a list many modules add to
// shows the definitions that changed, not all of them.
func TestDiffWriteToManyDefinitions(t *testing.T) {
	fsys := fstest.MapFS{"decl.hcl": {Data: []byte(`option "boot.kernelParams" {
  type    = listOf(str)
  default = []
}
`)}}
	var imports []string
	for i := range 12 {
		name := fmt.Sprintf("m%02d.hcl", i)
		imports = append(imports, fmt.Sprintf("%q", "./"+name))
		fsys[name] = &fstest.MapFile{Data: []byte(fmt.Sprintf("config {\n  boot { kernelParams = [\"p%d\"] }\n}\n", i))}
	}
	head := "imports = [\"./decl.hcl\", " + strings.Join(imports, ", ") + "]\n"
	fsys["old.hcl"] = &fstest.MapFile{Data: []byte(head + "config {\n  boot { kernelParams = [\"quiet\"] }\n}\n")}
	fsys["new.hcl"] = &fstest.MapFile{Data: []byte(head + "config {\n  boot { kernelParams = [\"verbose\"] }\n}\n")}
	c := &merge.Config{FS: fsys}
	a, diags := c.Eval("old.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	b, diags := c.Eval("new.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	text := merge.Diff(a, b).String()
	for _, want := range []string{
		`old.hcl:3: priority 100 (plain), merged = ["quiet"]`,
		`new.hcl:3: priority 100 (plain), merged = ["verbose"]`,
		"... and 13 definitions the same on both sides",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "m05.hcl") {
		t.Errorf("output lists a definition that did not change:\n%s", text)
	}
}

func TestDiffMarshalJSON(t *testing.T) {
	a, b := diffResults(t, []string{"old.hcl"}, []string{"new.hcl"})
	cs := merge.Diff(a, b)
	data, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if len(got) != 2 {
		t.Fatalf("got %d changes, want 2:\n%s", len(got), data)
	}
	sshLine := float64(lineIn(diffBase, "mkDefault(true)"))
	newLine := float64(lineIn(diffHostNew, "enable = false"))
	want := map[string]any{
		"path": "services.openssh.enable",
		"kind": "changed",
		"old": map[string]any{
			"value": true,
			"definitions": []any{
				map[string]any{"file": "base.hcl", "line": float64(lineIn(diffBase, "default = false")), "priority": 1500.0, "order": 1000.0, "default": true, "status": "shadowed", "shadowedBy": fmt.Sprintf("base.hcl:%v", sshLine), "value": false},
				map[string]any{"file": "base.hcl", "line": sshLine, "priority": 1000.0, "order": 1000.0, "default": false, "status": "merged", "value": true},
			},
		},
		"new": map[string]any{
			"value": false,
			"definitions": []any{
				map[string]any{"file": "base.hcl", "line": float64(lineIn(diffBase, "default = false")), "priority": 1500.0, "order": 1000.0, "default": true, "status": "shadowed", "shadowedBy": fmt.Sprintf("new.hcl:%v", newLine), "value": false},
				map[string]any{"file": "base.hcl", "line": sshLine, "priority": 1000.0, "order": 1000.0, "default": false, "status": "shadowed", "shadowedBy": fmt.Sprintf("new.hcl:%v", newLine), "value": true},
				map[string]any{"file": "new.hcl", "line": newLine, "priority": 100.0, "order": 1000.0, "default": false, "status": "merged", "value": false},
			},
		},
	}
	if diff := cmp.Diff(want, got[1]); diff != "" {
		t.Errorf("JSON of the services.openssh.enable change (-want +got):\n%s", diff)
	}
	if parts, _ := got[0]["parts"].([]any); len(parts) != 2 {
		t.Errorf("JSON of the fileSystems change has %d parts, want 2:\n%s", len(parts), data)
	}
}

// WriteTo (and String) render the changes for people: each changed option
// with its old and new value and the definitions behind each side.
func ExampleChanges_WriteTo() {
	fsys := fstest.MapFS{
		"web.hcl": {Data: []byte(`option "services.web.port" {
  type    = port
  default = 80
}
`)},
		"host.hcl": {Data: []byte(`imports = ["./web.hcl"]
config {
  services {
    web { port = mkForce(8080) }
  }
}
`)},
	}
	c := &merge.Config{FS: fsys}
	before, diags := c.Eval("web.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	after, diags := c.Eval("host.hcl")
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	merge.Diff(before, after).WriteTo(os.Stdout)
	// Output:
	// ~ services.web.port: 80 -> 8080
	//     old:
	//       web.hcl:3: option default, merged = 80
	//     new:
	//       web.hcl:3: option default, shadowed by 50 (mkForce) at host.hcl:4,11-31 = 80
	//       host.hcl:4: priority 50 (mkForce), merged = 8080
}

// TestDiffNoValue checks an option with no value on one side: it is a
// change, and that side says why there is no value.
func TestDiffNoValue(t *testing.T) {
	fsys := fstest.MapFS{
		"decl.hcl": {Data: []byte("option \"networking.hostName\" {\n  type = str\n}\n")},
		"host.hcl": {Data: []byte("imports = [\"./decl.hcl\"]\nconfig {\n  networking { hostName = \"web1\" }\n}\n")},
	}
	c := &merge.Config{FS: fsys}
	a, diags := c.Eval("decl.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	b, diags := c.Eval("host.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	cs := merge.Diff(a, b)
	if len(cs) != 1 || cs[0].Path.String() != "networking.hostName" {
		t.Fatalf("Diff = %v, want one change of networking.hostName", summarize(cs))
	}
	if v := cs[0].Old.Value; v != cty.NilVal {
		t.Errorf("old value = %#v, want none", v)
	}
	if !cs[0].Old.Diagnostics.HasErrors() {
		t.Errorf("old side has no diagnostics saying why it has no value")
	}
	if cs[0].New.Value.AsString() != "web1" {
		t.Errorf("new value = %#v, want web1", cs[0].New.Value)
	}
	text := cs.String()
	if want := `~ networking.hostName: (none) -> "web1"`; !strings.Contains(text, want) {
		t.Errorf("output lacks %q:\n%s", want, text)
	}
	if s := merge.Diff(a, a).String(); s != "" {
		t.Errorf("Diff of a result with an option without value against itself = %q, want nothing", s)
	}
}
