package examples_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fakeInputs writes files named like the boot inputs. They do not boot, but
// every example builds from them, so this test needs no network.
func fakeInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"vmlinuz", "initrd.img", "isolinux.bin", "ldlinux.c32", "isohdpfx.bin", "BOOTX64.EFI"} {
		data := bytes.Repeat([]byte(name), 300)
		if name == "isohdpfx.bin" {
			data = data[:432] // an MBR template's boot code
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs a command from the repository root and returns its output.
func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func sha(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func TestExamples(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set, but bash is missing; the build scripts need it")
		}
		t.Skip("skipped: the build scripts need bash")
	}
	inputs := fakeInputs(t)
	env := []string{"STRATA_BOOT_INPUTS=" + inputs}
	tests := []struct {
		name  string
		run   func(t *testing.T, out string) string
		check func(t *testing.T, out, stdout string)
	}{
		{
			name: "live-iso",
			run: func(t *testing.T, out string) string {
				return run(t, env, "./examples/live-iso/build.sh", out)
			},
			check: func(t *testing.T, out, stdout string) {
				if !strings.Contains(stdout, "volume ID STRATA_LIVE") {
					t.Errorf("build.sh printed:\n%s", stdout)
				}
				if b, err := os.ReadFile(out); err != nil || len(b) < 32*2048 || string(b[0x8001:0x8006]) != "CD001" {
					t.Errorf("%s is not an ISO 9660 image (%v)", out, err)
				}
			},
		},
		{
			name: "netboot",
			run: func(t *testing.T, out string) string {
				return run(t, env, "./examples/netboot/build.sh", out)
			},
			check: func(t *testing.T, out, stdout string) {
				script, err := os.ReadFile(filepath.Join(out, "netboot.ipxe"))
				if err != nil {
					t.Fatal(err)
				}
				if !regexp.MustCompile(`(?m)^kernel bzImage initrd=initrd .*lab\.role=netboot \$\{cmdline\}$`).Match(script) {
					t.Errorf("netboot.ipxe:\n%s", script)
				}
				if got, want := sha(t, filepath.Join(out, "bzImage")), sha(t, filepath.Join(inputs, "vmlinuz")); got != want {
					t.Errorf("bzImage is not the kernel given")
				}
			},
		},
		{
			name: "pipeline",
			run: func(t *testing.T, out string) string {
				return run(t, nil, "go", "run", "./examples/pipeline", "-inputs", inputs, "-o", out)
			},
			check: func(t *testing.T, out, stdout string) {
				// The hash computed while streaming is the file's.
				if want := sha(t, out) + "  " + out + "\n"; !strings.HasPrefix(stdout, want) {
					t.Errorf("pipeline printed %q, want it to start with %q", stdout, want)
				}
				if !strings.Contains(stdout, `menu entry "Lab NixOS 26.11 pipeline Installer"`) {
					t.Errorf("pipeline printed:\n%s", stdout)
				}
			},
		},
		{
			name: "config-tests",
			run: func(t *testing.T, out string) string {
				return run(t, nil, "go", "run", "./examples/config-tests")
			},
			check: func(t *testing.T, out, stdout string) {
				for _, want := range []string{"volume ID:    STRATA_LIVE", "root=LABEL=STRATA_LIVE"} {
					if !strings.Contains(stdout, want) {
						t.Errorf("config-tests printed no %q:\n%s", want, stdout)
					}
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			stdout := tc.run(t, out)
			tc.check(t, out, stdout)
		})
	}
}
