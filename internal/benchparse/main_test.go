package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseAll(t *testing.T) {
	good := &fstest.MapFile{Data: []byte("a = 1\nb { c = \"x\" }\n")}
	tests := []struct {
		name      string
		fsys      fstest.MapFS
		jobs      int
		wantFiles int
		wantDiags []string // "file:line: summary" of each diagnostic, in order
		wantErr   string
	}{
		{
			name:      "sequential",
			fsys:      fstest.MapFS{"a.hcl": good, "sub/b.hcl": good, "notes.txt": good},
			jobs:      1,
			wantFiles: 2,
		},
		{
			name:      "more workers than files",
			fsys:      fstest.MapFS{"a.hcl": good, "sub/b.hcl": good},
			jobs:      8,
			wantFiles: 2,
		},
		{
			name: "parse errors in two files, sorted by file",
			fsys: fstest.MapFS{
				"z.hcl": {Data: []byte("a = 1\nb = \n")},
				"a.hcl": {Data: []byte("x = {\n")},
				"m.hcl": good,
			},
			jobs:      2,
			wantFiles: 3,
			wantDiags: []string{"a.hcl:", "z.hcl:"},
		},
		{
			name:    "no hcl files",
			fsys:    fstest.MapFS{"readme.md": good},
			jobs:    1,
			wantErr: "no .hcl file found",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files, diags, err := parseAll(context.Background(), tc.fsys, tc.jobs)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(files) != tc.wantFiles {
				t.Errorf("got %d files, want %d", len(files), tc.wantFiles)
			}
			if len(diags) != len(tc.wantDiags) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(tc.wantDiags), diags)
			}
			for i, d := range diags {
				if d.Subject == nil || !strings.HasPrefix(d.Subject.String(), tc.wantDiags[i]) {
					t.Errorf("diagnostic %d at %v, want it in %s", i, d.Subject, tc.wantDiags[i])
				}
			}
		})
	}
}

func TestParseAllCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fsys := fstest.MapFS{"a.hcl": {Data: []byte("a = 1\n")}}
	if _, _, err := parseAll(ctx, fsys, 1); err == nil {
		t.Fatal("parseAll with a cancelled context returned no error")
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	set := t.TempDir()
	if err := os.WriteFile(filepath.Join(set, "a.hcl"), []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "a.hcl"), []byte("a = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{name: "help", args: []string{"--help"}, wantCode: 0, wantErr: "Usage: benchparse"},
		{name: "no folder", args: nil, wantCode: 2, wantErr: "Usage: benchparse"},
		{name: "zero workers", args: []string{"-j", "0", dir}, wantCode: 2, wantErr: "Usage: benchparse"},
		{name: "one file", args: []string{"-j", "1", set}, wantCode: 0, wantOut: "1 6\n"},
		{name: "parse error", args: []string{bad}, wantCode: 1, wantErr: "a.hcl:1,"},
		{name: "empty folder", args: []string{dir}, wantCode: 1, wantErr: "no .hcl file found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.wantCode, stderr.String())
			}
			if stdout.String() != tc.wantOut {
				t.Errorf("stdout = %q, want %q", stdout.String(), tc.wantOut)
			}
			if !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.wantErr)
			}
		})
	}
}
