package profiles_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// sharedProfiles holds the profile cases of the shared conformance suite,
// relative to this package (../shared from the repository root).
var sharedProfiles = filepath.Join("..", "..", "shared", "conformance", "profiles")

// TestSeedCases runs the shared profile cases through the library rather
// than the command: each case's modules are evaluated with the embedded
// bases, and the JSON at its attr is compared with want.json (as a value,
// or by keys for "want: keys").
func TestSeedCases(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join(sharedProfiles, "*.txtar"))
	if len(cases) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("no cases in %s, and CI is set", sharedProfiles)
		}
		t.Skipf("no cases in %s (../shared is absent); skipping", sharedProfiles)
	}
	for _, file := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			header, files := parseTxtar(src)
			want, ok := files["want.json"]
			if !ok {
				t.Skip("not a want.json case")
			}
			fsys := fstest.MapFS{}
			for name, body := range files {
				if name == "want.json" || name == "error" || strings.HasPrefix(name, "nix/") {
					continue
				}
				fsys[name] = &fstest.MapFile{Data: body}
			}
			mods := strings.Fields(header["files"])
			if len(mods) == 0 {
				mods = []string{"main.hcl"}
			}
			cfg := &merge.Config{FS: fsys, Roots: map[string]fs.FS{profiles.Root: profiles.FS()}}
			r, diags := cfg.Eval(mods...)
			if diags.HasErrors() {
				t.Fatalf("evaluation failed: %s", diags.Error())
			}
			gotJSON, diags := r.JSON(header["attr"])
			if diags.HasErrors() {
				t.Fatalf("%s: %s", header["attr"], diags.Error())
			}
			var got, wantV any
			if err := json.Unmarshal(gotJSON, &got); err != nil {
				t.Fatalf("JSON of %s: %v\n%s", header["attr"], err, gotJSON)
			}
			if err := json.Unmarshal(want, &wantV); err != nil {
				t.Fatalf("want.json: %v", err)
			}
			if header["want"] == "keys" {
				obj, ok := got.(map[string]any)
				if !ok {
					t.Fatalf("%s is %s, want an object", header["attr"], gotJSON)
				}
				var ks []any
				for k := range obj {
					ks = append(ks, k)
				}
				sort.Slice(ks, func(i, j int) bool { return ks[i].(string) < ks[j].(string) })
				got = ks
			}
			if diff := cmp.Diff(wantV, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", header["attr"], diff)
			}
		})
	}
}

var (
	txtarFile   = regexp.MustCompile(`^-- (.+?) --\s*$`)
	txtarHeader = regexp.MustCompile(`^#?\s*(attr|args|files|want):\s*(.*?)\s*$`)
)

// parseTxtar splits a case into its header lines and its files, as the
// shared run-cases script does.
func parseTxtar(src []byte) (header map[string]string, files map[string][]byte) {
	header, files = map[string]string{}, map[string][]byte{}
	var name string
	var buf bytes.Buffer
	inFiles := false
	for _, line := range strings.SplitAfter(string(src), "\n") {
		if m := txtarFile.FindStringSubmatch(strings.TrimRight(line, "\n")); m != nil {
			if inFiles {
				files[name] = bytes.Clone(buf.Bytes())
			}
			name, inFiles = m[1], true
			buf.Reset()
			continue
		}
		if inFiles {
			buf.WriteString(line)
		} else if m := txtarHeader.FindStringSubmatch(strings.TrimRight(line, "\n")); m != nil {
			header[m[1]] = m[2]
		}
	}
	if inFiles {
		files[name] = bytes.Clone(buf.Bytes())
	}
	return header, files
}
