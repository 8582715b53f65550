package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/strata-build/strata/internal/sharedtest"
)

// writeCase writes a conformance case's module files into a new folder and
// returns it with the case's header and sections.
func writeCase(t *testing.T, path string) (dir string, attr string, want, errText []byte) {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^attr:\s*(.*?)\s*$`).FindSubmatch(a.Comment); m != nil {
		attr = string(m[1])
	}
	dir = t.TempDir()
	for _, f := range a.Files {
		switch {
		case f.Name == "want.json":
			want = f.Data
		case f.Name == "error":
			errText = f.Data
		case strings.HasPrefix(f.Name, "nix/"):
		default:
			p := filepath.Join(dir, f.Name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir, attr, want, errText
}

// TestEvalBinary runs a few conformance cases, and every profile case,
// through the built strata binary, as ../shared/conformance/run-cases does.
func TestEvalBinary(t *testing.T) {
	shared := sharedtest.Dir(t)
	bin := filepath.Join(t.TempDir(), "strata")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cases := []string{
		"cases/priority-imagemedia-vs-host.txtar",
		"cases/submodule-suboption-conflict.txtar",
		"cases/errors-cycle-two-options.txtar",
		"cases/imports-json-module.txtar",
		"cases/fixpoint-locals.txtar",
	}
	profiles, _ := filepath.Glob(filepath.Join(shared, "conformance", "profiles", "*.txtar"))
	for _, p := range profiles {
		cases = append(cases, strings.TrimPrefix(p, filepath.Join(shared, "conformance")+"/"))
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) {
			path := filepath.Join(shared, "conformance", c)
			dir, attr, want, errText := writeCase(t, path)
			a, _ := txtar.ParseFile(path)
			wantKeys := regexp.MustCompile(`(?m)^want:\s*keys\s*$`).Match(a.Comment)
			args := []string{"eval"}
			if attr != "" {
				args = append(args, "--attr", attr)
			}
			args = append(args, "main.hcl")
			cmd := exec.Command(bin, args...)
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				if code != 1 {
					t.Fatalf("exit %d, want 1; stdout %s", code, stdout.String())
				}
				text := strings.ToLower(stderr.String())
				text = regexp.MustCompile(`([\w./-]+\.hcl(?:\.json)?) line (\d+)`).ReplaceAllString(text, "$1:$2")
				for _, l := range strings.Split(string(errText), "\n") {
					if l = strings.TrimSpace(l); l != "" && !strings.Contains(text, strings.ToLower(l)) {
						t.Errorf("stderr lacks %q:\n%s", l, stderr.String())
					}
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr.String())
			}
			var got, w any
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if wantKeys {
				var keys []any
				for k := range got.(map[string]any) {
					keys = append(keys, k)
				}
				got = sortedAny(keys)
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func sortedAny(xs []any) []any {
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[j].(string) < xs[i].(string) {
				xs[i], xs[j] = xs[j], xs[i]
			}
		}
	}
	return xs
}

const evalHost = `option "services.web.port" {
  type        = port
  default     = 8080
  description = "The port."
}

option "services.web.tags" {
  type    = attrsOf(str)
  default = {}
  example = { env = "prod" }
}

config {
  services {
    web {
      port = mkForce(arg.port)
      tags = { "a b" = "c" }
    }
  }
}

config {
  when = false
  services {
    web { port = 1 }
  }
}
`

// inTempDir writes files into a new working directory for one test.
func inTempDir(t *testing.T, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

// TestEvalCommand checks strata eval's output and exit statuses (spec
// section 8).
func TestEvalCommand(t *testing.T) {
	inTempDir(t, map[string]string{"host.hcl": evalHost, "bad.hcl": "config {\n  nope = 1\n}\n"})
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr []string
	}{
		{name: "whole", args: []string{"eval", "--arg", "port=443", "host.hcl"}, wantCode: exitOK,
			wantStdout: `{"services":{"web":{"port":443,"tags":{"a b":"c"}}}}` + "\n"},
		{name: "attr", args: []string{"eval", "--attr", `services.web.tags."a b"`, "--arg", "port=1", "host.hcl"}, wantCode: exitOK,
			wantStdout: `"c"` + "\n"},
		{name: "config error", args: []string{"eval", "bad.hcl"}, wantCode: exitConfig,
			wantStderr: []string{"Option does not exist", "bad.hcl line 2", "nope = 1"}},
		{name: "missing module", args: []string{"eval", "absent.hcl"}, wantCode: exitConfig,
			wantStderr: []string{"absent.hcl"}},
		{name: "no module", args: []string{"eval"}, wantCode: exitUsage, wantStderr: []string{"no module"}},
		{name: "bad flag", args: []string{"eval", "--bogus", "host.hcl"}, wantCode: exitUsage},
		{name: "bad attr", args: []string{"eval", "--attr", `a."b`, "host.hcl"}, wantCode: exitUsage, wantStderr: []string{"unterminated"}},
		{name: "help", args: []string{"eval", "--help"}, wantCode: exitOK, wantStderr: []string{"Usage: strata eval"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.wantCode, stderr.String())
			}
			if tc.wantStdout != "" && stdout.String() != tc.wantStdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tc.wantStdout)
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

// TestExplainCommand checks that explain names every definition and what
// became of it.
func TestExplainCommand(t *testing.T) {
	inTempDir(t, map[string]string{"host.hcl": evalHost})
	var stdout, stderr bytes.Buffer
	if code := run([]string{"explain", "--arg", "port=443", "services.web.port", "host.hcl"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	for _, w := range []string{
		"type:        16 bit unsigned integer",
		"declared at: host.hcl:1",
		"host.hcl:3 (option default)",
		"SHADOWED by priority 50 (mkForce) at host.hcl:16",
		"host.hcl:16 (definition)\n      priority 50 (mkForce)",
		"DROPPED: its condition at host.hcl:23 is false",
		"value:       443",
	} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, stdout.String())
		}
	}
	if code := run([]string{"explain", "services.web", "host.hcl"}, &stdout, &stderr); code != exitConfig {
		t.Errorf("explain of a namespace: exit %d, want %d", code, exitConfig)
	}
}

// TestOptionsCommand checks the three output forms of strata options.
func TestOptionsCommand(t *testing.T) {
	inTempDir(t, map[string]string{"host.hcl": evalHost})
	var stdout, stderr bytes.Buffer
	if code := run([]string{"options", "--json", "--arg", "port=1", "host.hcl"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	var got []map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"path": "services.web.port", "type": "16 bit unsigned integer; between 0 and 65535 (both inclusive)",
			"default": 8080.0, "description": "The port.", "declarations": []any{"host.hcl:1"}},
		{"path": "services.web.tags", "type": "attribute set of string", "default": map[string]any{},
			"example": map[string]any{"env": "prod"}, "declarations": []any{"host.hcl:7"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("--json (-want +got):\n%s", diff)
	}
	stdout.Reset()
	if code := run([]string{"options", "--markdown", "host.hcl"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "## `services.web.port`\n\nThe port.\n\n- Type: 16 bit") {
		t.Errorf("--markdown:\n%s", stdout.String())
	}
	if code := run([]string{"options", "--markdown", "--json", "host.hcl"}, &stdout, &stderr); code != exitUsage {
		t.Errorf("--markdown --json: exit %d, want %d", code, exitUsage)
	}
}
