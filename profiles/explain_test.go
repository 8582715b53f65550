package profiles_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// TestExplainShadowed checks that an explanation names both sides of an
// image-media override: the host's definitions, shadowed, with their places,
// and the base's winning definition with its place and priority.
func TestExplainShadowed(t *testing.T) {
	tests := []struct {
		name string
		base string
		path string
		want []string // "file:line priority status" of each definition but the default, in order
	}{
		{
			name: "installer shadows the whole option",
			base: "installer",
			path: "fileSystems",
			want: []string{
				fmt.Sprintf("cd-dvd.hcl:%d 100 shadowed by 60", lineOf(t, "cd-dvd.hcl", "fileSystems = {")),
				fmt.Sprintf("installer.hcl:%d 60 merged", lineOf(t, "installer.hcl", "fileSystems = mkImageMediaOverride")),
				"main.hcl:4 100 shadowed by 60",
				"main.hcl:8 100 shadowed by 60",
			},
		},
		{
			// The key's definitions are filtered before the element is
			// evaluated, so only the base's reaches fsType, and there it
			// is an ordinary definition of the element.
			name: "cd-dvd shadows one key",
			base: "cd-dvd",
			path: `fileSystems."/".fsType`,
			want: []string{
				fmt.Sprintf("cd-dvd.hcl:%d 100 merged", lineOf(t, "cd-dvd.hcl", `fsType  = "tmpfs"`)),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, diags := eval(t, map[string]string{"main.hcl": with(tc.base, plainHost)})
			if diags.HasErrors() {
				t.Fatalf("evaluation failed: %s", diags.Error())
			}
			ex, diags := r.Explain(tc.path)
			if diags.HasErrors() {
				t.Fatalf("Explain(%s): %s", tc.path, diags.Error())
			}
			var got []string
			for _, d := range ex.Definitions {
				if d.Default {
					continue
				}
				got = append(got, fmt.Sprintf("%s:%d %d %s", baseName(d.Range.Filename), d.Range.Start.Line, int(d.Priority), status(d)))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("definitions of %s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// lineOf returns the line of the first occurrence of text in an embedded
// module, so the expectations follow edits of the modules.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	src, err := fs.ReadFile(profiles.FS(), file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(src), text)
	if i < 0 {
		t.Fatalf("%s does not contain %q", file, text)
	}
	return strings.Count(string(src[:i]), "\n") + 1
}

// baseName is the last element of a module name, whether it is written
// <profiles/x.hcl>, profiles/x.hcl or x.hcl.
func baseName(name string) string {
	name = strings.TrimSuffix(name, ">")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// status abbreviates a definition's status for comparison.
func status(d *merge.Definition) string {
	switch s := d.Status.(type) {
	case merge.Merged:
		return "merged"
	case merge.Shadowed:
		return fmt.Sprintf("shadowed by %d", int(s.Priority))
	case merge.Dropped:
		return "dropped"
	}
	return fmt.Sprintf("%v", d.Status)
}
