package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kdomanski/iso9660"
)

// mediaInputs writes fake boot inputs (files of the right names; they do
// not boot) and returns their folder.
func mediaInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, size := range map[string]int{
		"vmlinuz": 3000, "initrd.img": 5000, "isolinux.bin": 2048, "ldlinux.c32": 100,
		"isohdpfx.bin": 432, "BOOTX64.EFI": 4000, "extra.txt": 10,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), bytes.Repeat([]byte{'x'}, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// mediaHost writes a host module importing base, with body inside its
// config block, and returns its path.
func mediaHost(t *testing.T, inputs, base, body string) string {
	t.Helper()
	src := fmt.Sprintf(`imports = ["<profiles/%s>"]

config {
  boot {
    files {
      kernel       = "%[2]s/vmlinuz"
      initrd       = "%[2]s/initrd.img"
      isolinux     = "%[2]s/isolinux.bin"
      ldlinux      = "%[2]s/ldlinux.c32"
      isohybridMbr = "%[2]s/isohdpfx.bin"
      efiLoader    = "%[2]s/BOOTX64.EFI"
    }
  }
%s
}
`, base, inputs, body)
	if strings.Contains(base, "netboot") {
		src = fmt.Sprintf(`imports = ["<profiles/%s>"]

config {
  boot {
    files {
      kernel = "%[2]s/vmlinuz"
      initrd = "%[2]s/initrd.img"
    }
  }
%s
}
`, base, inputs, body)
	}
	name := filepath.Join(t.TempDir(), "host.hcl")
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// isoFile reads the file at path p (Rock Ridge names) from the image.
func isoFile(t *testing.T, image, p string) []byte {
	t.Helper()
	f, err := os.Open(image)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := iso9660.OpenImage(f)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := img.RootDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range strings.Split(strings.Trim(p, "/"), "/") {
		kids, err := cur.GetChildren()
		if err != nil {
			t.Fatal(err)
		}
		var next *iso9660.File
		for _, k := range kids {
			if k.Name() == name {
				next = k
			}
		}
		if next == nil {
			t.Fatalf("%s: no %s in the image", image, p)
		}
		cur = next
	}
	b, err := io.ReadAll(cur.Reader())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestISOCommand(t *testing.T) {
	inputs := mediaInputs(t)
	tests := []struct {
		name       string
		body       string
		args       func(host, out string) []string
		wantCode   int
		wantStderr []string // regexps
		wantFiles  map[string]string
		// wantBoot are strings the generated isolinux.cfg must hold.
		wantBoot []string
	}{
		{
			name: "installer",
			body: `  isoImage {
    volumeID = "LAB_LIVE"
    contents = [{ source = "` + inputs + `/extra.txt", target = "/extra/e.txt" }]
  }
  boot { kernelParams = ["lab.x=1"] }`,
			args:     func(host, out string) []string { return []string{"-o", out, host} },
			wantCode: exitOK,
			wantFiles: map[string]string{
				"/extra/e.txt": "xxxxxxxxxx",
				"/version.txt": "26.11\n",
			},
			wantBoot: []string{"root=LABEL=LAB_LIVE", "lab.x=1"},
		},
		{
			name: "missing kernel",
			body: `  boot {
    files {
      kernel = mkForce("` + inputs + `/nope")
    }
  }
  isoImage { volumeID = "LAB" }`,
			args:       func(host, out string) []string { return []string{"-o", out, host} },
			wantCode:   exitConfig,
			wantStderr: []string{`Boot input not found`, `host\.hcl line 16`, `boot\.files\.kernel is ".*/nope"`},
		},
		{
			name:       "volume ID too long",
			body:       `  isoImage { volumeID = "` + strings.Repeat("V", 40) + `" }`,
			args:       func(host, out string) []string { return []string{"-o", out, host} },
			wantCode:   exitConfig,
			wantStderr: []string{`isoImage\.volumeID V+ is 40 characters`},
		},
		{
			name:       "volume ID with a forbidden character",
			body:       `  isoImage { volumeID = "lab~live" }`,
			args:       func(host, out string) []string { return []string{"-o", out, host} },
			wantCode:   exitConfig,
			wantStderr: []string{`Invalid volume ID`, `host\.hcl line 14`, `"lab~live"`},
		},
		{
			name: "clashing contents",
			body: `  isoImage {
    volumeID = "LAB"
    contents = [
      { source = "` + inputs + `/extra.txt", target = "/a.txt" },
      { source = "` + inputs + `/vmlinuz", target = "/a.txt" },
    ]
  }`,
			args:       func(host, out string) []string { return []string{"-o", out, host} },
			wantCode:   exitConfig,
			wantStderr: []string{`Clashing image contents`, `host\.hcl line 16`, `/a\.txt`, `isoImage\.contents\[0\] and isoImage\.contents\[1\]`},
		},
		{
			// The base's NixOS-shaped default, lower case with '-' and '.',
			// is written as it is: the booted system finds its medium by it.
			name:     "default volume ID",
			args:     func(host, out string) []string { return []string{"-o", out, host} },
			wantCode: exitOK,
			wantFiles: map[string]string{
				"/version.txt": "26.11\n",
			},
			wantBoot: []string{"root=LABEL=nixos-26.11-x86_64"},
		},
		{
			name:       "no output",
			args:       func(host, out string) []string { return []string{host} },
			wantCode:   exitUsage,
			wantStderr: []string{`need -o OUT\.iso`},
		},
		{
			name:     "no module",
			args:     func(host, out string) []string { return []string{"-o", out} },
			wantCode: exitUsage,
		},
		{
			name:       "bad flag",
			args:       func(host, out string) []string { return []string{"--bogus", "-o", out, host} },
			wantCode:   exitUsage,
			wantStderr: []string{`bogus`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			host := mediaHost(t, inputs, "installer.hcl", tc.body)
			dir := t.TempDir()
			out := filepath.Join(dir, "out.iso")
			// An existing file stays as it was unless the command succeeds.
			if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"iso"}, tc.args(host, out)...), &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", code, tc.wantCode, stderr.String())
			}
			for _, re := range tc.wantStderr {
				if !regexp.MustCompile(re).MatchString(stderr.String()) {
					t.Errorf("stderr does not match %q:\n%s", re, stderr.String())
				}
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("%d entries in the output folder, want 1 (no temporary file left)", len(entries))
			}
			if code != exitOK {
				if b, _ := os.ReadFile(out); string(b) != "old" {
					t.Errorf("the existing output changed on failure")
				}
				return
			}
			for p, want := range tc.wantFiles {
				if got := string(isoFile(t, out, p)); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			// The configuration in the image is what strata reported, and
			// what strata eval prints.
			config := isoFile(t, out, "/strata/config.json")
			wantLine := fmt.Sprintf("/strata/config.json sha256 %x\n", sha256.Sum256(config))
			if !strings.Contains(stdout.String(), wantLine) {
				t.Errorf("stdout lacks %q:\n%s", wantLine, stdout.String())
			}
			var evalOut bytes.Buffer
			if code := run([]string{"eval", host}, &evalOut, io.Discard); code != exitOK {
				t.Fatalf("strata eval: exit %d", code)
			}
			if strings.TrimSpace(evalOut.String()) != strings.TrimSpace(string(config)) {
				t.Errorf("config.json differs from strata eval's output")
			}
			isolinux := string(isoFile(t, out, "/isolinux/isolinux.cfg"))
			for _, want := range tc.wantBoot {
				if !strings.Contains(isolinux, want) {
					t.Errorf("isolinux.cfg lacks %q:\n%s", want, isolinux)
				}
			}
		})
	}
}

// TestISOReproducible builds the same configuration twice and compares the
// bytes.
func TestISOReproducible(t *testing.T) {
	inputs := mediaInputs(t)
	host := mediaHost(t, inputs, "installer.hcl", `  isoImage { volumeID = "SAME" }`)
	var images [2][]byte
	for i := range images {
		out := filepath.Join(t.TempDir(), "out.iso")
		if code := run([]string{"iso", "-o", out, host}, io.Discard, io.Discard); code != exitOK {
			t.Fatalf("exit %d", code)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		images[i] = b
	}
	if !bytes.Equal(images[0], images[1]) {
		t.Errorf("two builds of one configuration differ")
	}
}

func TestNetbootCommand(t *testing.T) {
	inputs := mediaInputs(t)
	tests := []struct {
		name       string
		body       string
		wantCode   int
		wantStderr []string
		wantScript string
	}{
		{
			name:       "netboot",
			body:       `  boot { kernelParams = ["lab.x=1"] }`,
			wantCode:   exitOK,
			wantScript: "kernel bzImage initrd=initrd .*lab.x=1 \\$\\{cmdline\\}\ninitrd initrd\nboot\n$",
		},
		{
			name: "missing initrd",
			body: `  boot {
    files {
      initrd = mkForce("` + inputs + `/none")
    }
  }`,
			wantCode:   exitConfig,
			wantStderr: []string{`Boot input not found`, `host\.hcl line 12`, `boot\.files\.initrd`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			host := mediaHost(t, inputs, "netboot.hcl", tc.body)
			out := filepath.Join(t.TempDir(), "nb")
			var stdout, stderr bytes.Buffer
			code := run([]string{"netboot", "-o", out, host}, &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", code, tc.wantCode, stderr.String())
			}
			for _, re := range tc.wantStderr {
				if !regexp.MustCompile(re).MatchString(stderr.String()) {
					t.Errorf("stderr does not match %q:\n%s", re, stderr.String())
				}
			}
			if code != exitOK {
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("%s exists after a failure", out)
				}
				return
			}
			script, err := os.ReadFile(filepath.Join(out, "netboot.ipxe"))
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tc.wantScript).Match(script) || !strings.HasPrefix(string(script), "#!ipxe\n") {
				t.Errorf("netboot.ipxe does not match %q:\n%s", tc.wantScript, script)
			}
			for _, f := range []string{"bzImage", "initrd", "strata/config.json"} {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// TestISONetbootBase checks that strata iso on the netboot base writes the
// minimal image: the boot loaders that are set, and no isoImage extras.
func TestISONetbootBase(t *testing.T) {
	inputs := mediaInputs(t)
	tests := []struct {
		name       string
		body       string
		wantCode   int
		wantFiles  []string
		wantStderr string
	}{
		{
			name: "bios and uefi",
			body: `  boot {
    files {
      isolinux  = "` + inputs + `/isolinux.bin"
      ldlinux   = "` + inputs + `/ldlinux.c32"
      efiLoader = "` + inputs + `/BOOTX64.EFI"
    }
  }`,
			wantCode:  exitOK,
			wantFiles: []string{"/isolinux/isolinux.cfg", "/boot/grub/grub.cfg", "/boot/bzImage", "/strata/config.json"},
		},
		{
			name:       "no boot loader",
			wantCode:   exitConfig,
			wantStderr: `boot\.files\.isolinux and boot\.files\.ldlinux, or boot\.files\.efiLoader`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			host := mediaHost(t, inputs, "netboot.hcl", tc.body)
			out := filepath.Join(t.TempDir(), "nb.iso")
			var stdout, stderr bytes.Buffer
			code := run([]string{"iso", "-o", out, host}, &stdout, &stderr)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", code, tc.wantCode, stderr.String())
			}
			if tc.wantStderr != "" && !regexp.MustCompile(tc.wantStderr).MatchString(stderr.String()) {
				t.Errorf("stderr does not match %q:\n%s", tc.wantStderr, stderr.String())
			}
			if code != exitOK {
				return
			}
			if !strings.Contains(stdout.String(), "volume ID STRATA_NETBOOT") {
				t.Errorf("stdout:\n%s", stdout.String())
			}
			for _, p := range tc.wantFiles {
				isoFile(t, out, p)
			}
		})
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	bar := &progressBar{w: &b, name: "x.iso"}
	for _, done := range []int64{0, 1 << 20, 1<<20 + 1, 4 << 20} {
		bar.update(done, 4<<20)
	}
	bar.finish()
	want := "\rx.iso [..............................]   0% 0/4 MiB" +
		"\rx.iso [#######.......................]  25% 1/4 MiB" +
		"\rx.iso [##############################] 100% 4/4 MiB\n"
	if got := b.String(); got != want {
		t.Errorf("progress bar drew %q, want %q", got, want)
	}
	var nilBar *progressBar
	nilBar.finish() // a nil bar draws nothing
}

// TestISOStdout streams the image to standard output: the same bytes as a
// file, with the report on standard error.
func TestISOStdout(t *testing.T) {
	inputs := mediaInputs(t)
	host := mediaHost(t, inputs, "installer.hcl", `  isoImage { volumeID = "PIPE" }`)
	out := filepath.Join(t.TempDir(), "sub", "dir", "out.iso")
	if code := run([]string{"iso", "-o", out, host}, io.Discard, io.Discard); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	file, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"iso", "-o", "-", host}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !bytes.Equal(stdout.Bytes(), file) {
		t.Errorf("the image on standard output differs from the file")
	}
	if !strings.Contains(stderr.String(), "volume ID PIPE") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// TestISOClashAcrossModules checks that a clash between elements of
// isoImage.contents from two modules names each element's own module.
func TestISOClashAcrossModules(t *testing.T) {
	inputs := mediaInputs(t)
	host := mediaHost(t, inputs, "installer.hcl", `  isoImage {
    volumeID = "LAB"
    contents = [{ source = "`+inputs+`/extra.txt", target = "/same.txt" }]
  }`)
	extra := filepath.Join(t.TempDir(), "extra.hcl")
	src := "config {\n  isoImage {\n    contents = [{ source = \"" + inputs + "/vmlinuz\", target = \"/same.txt\" }]\n  }\n}\n"
	if err := os.WriteFile(extra, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.iso")
	var stderr bytes.Buffer
	if code := run([]string{"iso", "-o", out, extra, host}, io.Discard, &stderr); code != exitConfig {
		t.Fatalf("exit %d, want %d\n%s", code, exitConfig, stderr.String())
	}
	for _, re := range []string{
		`Clashing image contents`,
		`isoImage\.contents\[0\] is defined at .*host\.hcl:16`,
		`isoImage\.contents\[1\] is defined at .*extra\.hcl:3`,
	} {
		if !regexp.MustCompile(re).MatchString(stderr.String()) {
			t.Errorf("stderr does not match %q:\n%s", re, stderr.String())
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failure", out)
	}
}
