package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diffHosts are a host on the installer base, before and after a change of
// two options and of one the installer overrides (fsType: shadowed by
// mkImageMediaOverride, so no change).
var diffHosts = map[string]string{
	"old.hcl": `imports = ["<profiles/installer.hcl>"]

config {
  networking { hostName = "web1" }
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "ext4"
  }
}
`,
	"new.hcl": `imports = ["<profiles/installer.hcl>"]

config {
  networking { hostName = "web2" }
  services {
    openssh { enable = false }
  }
  fileSystems "/" {
    device = "/dev/sda1"
    fsType = "btrfs"
  }
}
`,
	"bad.hcl": `config {
  networking { hostNam = "x" }
}
`,
}

// inDiffDir runs the test in a directory holding diffHosts.
func inDiffDir(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range diffHosts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// lineOf returns the line of diffHosts[file] holding text.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	src := diffHosts[file]
	i := strings.Index(src, text)
	if i < 0 {
		t.Fatalf("%s has no %q", file, text)
	}
	return strings.Count(src[:i], "\n") + 1
}

// headlines returns the lines of a diff that start an entry.
func headlines(out string) []string {
	var hs []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "~ ") || strings.HasPrefix(l, "+ ") || strings.HasPrefix(l, "- ") {
			hs = append(hs, l)
		}
	}
	return hs
}

func TestDiffCommand(t *testing.T) {
	inDiffDir(t)
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantHeads []string // entry lines of standard output
		wantOut   []string // more text standard output must hold
		wantErr   string   // text standard error must hold
	}{
		{
			name:     "a host with and without a change",
			args:     []string{"--old", "old.hcl", "--new", "new.hcl"},
			wantCode: exitOK,
			wantHeads: []string{
				`~ networking.hostName: "web1" -> "web2"`,
				`~ services.openssh.enable: true -> false`,
			},
			wantOut: []string{
				fmt.Sprintf(`old.hcl:%d: priority 100 (plain), merged = "web1"`, lineOf(t, "old.hcl", "hostName")),
				fmt.Sprintf(`new.hcl:%d: priority 100 (plain), merged = "web2"`, lineOf(t, "new.hcl", "hostName")),
				"<profiles/installer.hcl>:",
				"priority 1000 (mkDefault), merged = true",
				fmt.Sprintf(`new.hcl:%d: priority 100 (plain), merged = false`, lineOf(t, "new.hcl", "enable = false")),
			},
		},
		{
			name:     "the same configuration",
			args:     []string{"--old", "old.hcl", "--new", "old.hcl"},
			wantCode: exitOK,
		},
		{
			name:      "only under --attr",
			args:      []string{"--attr", "services", "--old", "old.hcl", "--new", "new.hcl"},
			wantCode:  exitOK,
			wantHeads: []string{`~ services.openssh.enable: true -> false`},
		},
		{
			name:     "as JSON",
			args:     []string{"--json", "--attr", "services", "--old", "old.hcl", "--new", "new.hcl"},
			wantCode: exitOK,
			wantOut:  []string{`[{"path":"services.openssh.enable","kind":"changed","old":{"value":true,`, `"status":"merged","value":false}]}}]`},
		},
		{
			name:     "as JSON, the same configuration",
			args:     []string{"--json", "--old", "old.hcl", "--new", "old.hcl"},
			wantCode: exitOK,
			wantOut:  []string{"[]\n"},
		},
		{
			name:     "errors in a configuration",
			args:     []string{"--old", "old.hcl", "--new", "bad.hcl"},
			wantCode: exitConfig,
			wantErr:  "bad.hcl",
		},
		{
			name:     "no new modules",
			args:     []string{"--old", "old.hcl"},
			wantCode: exitUsage,
			wantErr:  "no new modules",
		},
		{
			name:     "no old modules",
			args:     []string{"--new", "new.hcl"},
			wantCode: exitUsage,
			wantErr:  "no old modules",
		},
		{
			name:     "modules before --old",
			args:     []string{"old.hcl", "--old", "old.hcl", "--new", "new.hcl"},
			wantCode: exitUsage,
			wantErr:  "modules go after --old and --new",
		},
		{
			name:     "a flag after the modules",
			args:     []string{"--old", "old.hcl", "--new", "new.hcl", "--attr", "x"},
			wantCode: exitUsage,
			wantErr:  "flags go before --old and --new",
		},
		{
			name:     "a bad --attr",
			args:     []string{"--attr", "a..b", "--old", "old.hcl", "--new", "new.hcl"},
			wantCode: exitUsage,
			wantErr:  "--attr",
		},
		{
			name:     "help",
			args:     []string{"--help"},
			wantCode: exitOK,
			wantErr:  "Usage: strata diff",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(append([]string{"diff"}, tc.args...), &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout.String(), stderr.String())
			}
			out := stdout.String()
			if diff := cmp.Diff(tc.wantHeads, headlines(out)); diff != "" {
				t.Errorf("changed options (-want +got):\n%s\nstdout:\n%s", diff, out)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErr, stderr.String())
			}
		})
	}
}
