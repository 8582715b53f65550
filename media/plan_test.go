package media_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-build/strata/media"
)

// inputs is a folder of fake boot inputs. Their contents do not boot; the
// planner only needs files of the right names and sizes.
func inputs() fstest.MapFS {
	return fstest.MapFS{
		"in/vmlinuz":      {Data: []byte("kernel bytes")},
		"in/initrd.img":   {Data: []byte("initrd bytes, a few more")},
		"in/isolinux.bin": {Data: make([]byte, 2048)},
		"in/ldlinux.c32":  {Data: []byte("ldlinux")},
		"in/isohdpfx.bin": {Data: make([]byte, 432)},
		"in/BOOTX64.EFI":  {Data: []byte("MZ efi loader")},
		"extra/motd":      {Data: []byte("hello\n")},
		"extra/tree/a":    {Data: []byte("a")},
		"extra/tree/b/c":  {Data: []byte("cc")},
	}
}

func intp(n int) *int { return &n }

// spec returns a buildable Spec over inputs(), every boot path on.
func spec() *media.Spec {
	return &media.Spec{
		VolumeID:           "STRATA_TEST",
		Kernel:             "/in/vmlinuz",
		Initrd:             "/in/initrd.img",
		Isolinux:           "/in/isolinux.bin",
		Ldlinux:            "/in/ldlinux.c32",
		IsohybridMBR:       "/in/isohdpfx.bin",
		EFILoader:          "/in/BOOTX64.EFI",
		KernelParams:       []string{"root=LABEL=STRATA_TEST", "quiet", `x="a b"`},
		Timeout:            intp(3),
		PrependToMenuLabel: "Demo ",
		DistroName:         "Strata",
		SystemLabel:        "1.0",
		ConfigurationName:  "host",
		AppendToMenuLabel:  " live",
		BIOS:               true,
		EFI:                true,
		USB:                true,
		Config:             []byte(`{"a":1}`),
		FS:                 inputs(),
		Places:             map[string][]hcl.Range{},
	}
}

func read(t *testing.T, l *media.Layout, p string) string {
	t.Helper()
	f, ok := l.Find(p)
	if !ok {
		t.Fatalf("no %s in the layout", p)
	}
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != f.Size {
		t.Errorf("%s: planned %d bytes, read %d", p, f.Size, len(b))
	}
	return string(b)
}

func paths(l *media.Layout) []string {
	var out []string
	for _, f := range l.Files {
		out = append(out, f.Path)
	}
	return out
}

func TestPlanLayout(t *testing.T) {
	s0 := spec()
	bootFiles := []string{s0.KernelPath(), s0.InitrdPath(), media.VersionPath, media.ConfigPath}
	bios := []string{media.IsolinuxBinPath, media.LdlinuxPath, media.IsolinuxCfgPath}
	efi := []string{media.EFIImagePath, media.EFILoaderPath, media.GrubCfgPath, media.MarkerPath}
	tests := []struct {
		name                 string
		edit                 func(*media.Spec)
		want                 [][]string
		wantBIOS, wantEFI    bool
		wantMBR, wantGPT     bool
		wantCatalog          bool
		wantExtra, wantNoCfg []string
	}{
		{name: "everything", edit: func(*media.Spec) {}, want: [][]string{bootFiles, bios, efi},
			wantBIOS: true, wantEFI: true, wantMBR: true, wantGPT: true, wantCatalog: true},
		{name: "bios only", edit: func(s *media.Spec) { s.EFI, s.USB = false, false },
			want: [][]string{bootFiles, bios}, wantBIOS: true, wantCatalog: true},
		{name: "efi only", edit: func(s *media.Spec) { s.BIOS, s.USB = false, false },
			want: [][]string{bootFiles, efi}, wantEFI: true, wantCatalog: true},
		{name: "usb implies isolinux", edit: func(s *media.Spec) { s.BIOS, s.EFI = false, false },
			want: [][]string{bootFiles, bios}, wantBIOS: true, wantMBR: true, wantCatalog: true},
		{name: "contents", edit: func(s *media.Spec) {
			s.Contents = []media.Content{{Source: "/extra/motd", Target: "/etc/motd"}, {Source: "/extra/tree", Target: "/opt/tree"}}
		}, want: [][]string{bootFiles, bios, efi, {"/etc/motd", "/opt/tree/a", "/opt/tree/b/c"}},
			wantBIOS: true, wantEFI: true, wantMBR: true, wantGPT: true, wantCatalog: true},
		{name: "no config", edit: func(s *media.Spec) { s.Config = nil; s.EFI = false },
			want:     [][]string{{s0.KernelPath(), s0.InitrdPath(), media.VersionPath}, bios},
			wantBIOS: true, wantMBR: true, wantCatalog: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			tc.edit(s)
			l, diags := media.Plan(context.Background(), s)
			if diags.HasErrors() {
				t.Fatalf("Plan: %s", diags.Error())
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, w...)
			}
			got := paths(l)
			if diff := cmp.Diff(sorted(want), got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			if (l.BIOSImage != "") != tc.wantBIOS || (l.EFIImage != "") != tc.wantEFI ||
				(l.HybridMBR != nil) != tc.wantMBR || l.GPT != tc.wantGPT || (l.Catalog != "") != tc.wantCatalog {
				t.Errorf("boot settings: BIOS %q EFI %q MBR %d bytes GPT %v catalog %q", l.BIOSImage, l.EFIImage, len(l.HybridMBR), l.GPT, l.Catalog)
			}
			if l.VolumeID != s.VolumeID {
				t.Errorf("VolumeID = %q, want %q", l.VolumeID, s.VolumeID)
			}
			for _, f := range l.Files {
				read(t, l, f.Path) // sizes agree with the planned ones
			}
			if s.Config != nil {
				if got := read(t, l, media.ConfigPath); got != string(s.Config) {
					t.Errorf("%s = %q, want %q", media.ConfigPath, got, s.Config)
				}
			}
			if got, want := read(t, l, s.KernelPath()), "kernel bytes"; got != want {
				t.Errorf("%s = %q, want %q", s.KernelPath(), got, want)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestBootMenus(t *testing.T) {
	tests := []struct {
		name        string
		timeout     *int
		wantSyslin  []string
		wantGrub    string
		wantNoLines []string
	}{
		{name: "seconds", timeout: intp(3), wantSyslin: []string{"PROMPT 1", "TIMEOUT 30"}, wantGrub: "set timeout=3"},
		{name: "at once", timeout: intp(0), wantSyslin: []string{"PROMPT 0", "TIMEOUT 0"}, wantGrub: "set timeout=0"},
		{name: "wait", timeout: nil, wantSyslin: []string{"PROMPT 1", "TIMEOUT 0"}, wantGrub: "set timeout=-1"},
		{name: "long", timeout: intp(100000), wantSyslin: []string{"PROMPT 1", "TIMEOUT 35996"}, wantGrub: "set timeout=100000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			s.Timeout = tc.timeout
			l, diags := media.Plan(context.Background(), s)
			if diags.HasErrors() {
				t.Fatalf("Plan: %s", diags.Error())
			}
			isolinux := read(t, l, media.IsolinuxCfgPath)
			grub := read(t, l, media.GrubCfgPath)
			lines := strings.Split(isolinux, "\n")
			for _, w := range tc.wantSyslin {
				if !hasLine(lines, w) {
					t.Errorf("isolinux.cfg has no line %q:\n%s", w, isolinux)
				}
			}
			if !hasLine(strings.Split(grub, "\n"), tc.wantGrub) {
				t.Errorf("grub.cfg has no line %q:\n%s", tc.wantGrub, grub)
			}
			label := s.PrependToMenuLabel + s.DistroName + " " + s.SystemLabel + " " + s.ConfigurationName + s.AppendToMenuLabel
			params := strings.Join(s.KernelParams, " ")
			for _, w := range []string{
				"DEFAULT strata",
				"  MENU LABEL " + label,
				"  APPEND " + params,
				"  APPEND " + params + " " + media.SerialConsole,
				"  LINUX " + s.KernelPath(),
				"  INITRD " + s.InitrdPath(),
			} {
				if !hasLine(lines, w) {
					t.Errorf("isolinux.cfg has no line %q:\n%s", w, isolinux)
				}
			}
			glines := strings.Split(grub, "\n")
			for _, w := range []string{
				"menuentry '" + label + "' {",
				"  linux " + s.KernelPath() + ` root=LABEL=STRATA_TEST quiet 'x="a b"'`,
				"  linux " + s.KernelPath() + ` root=LABEL=STRATA_TEST quiet 'x="a b"' ` + media.SerialConsole,
				"  initrd " + s.InitrdPath(),
			} {
				if !hasLine(glines, w) {
					t.Errorf("grub.cfg has no line %q:\n%s", w, grub)
				}
			}
		})
	}
}

// optOf returns the option a diagnostic's Detail starts with or names
// first among the Opt constants.
func optOf(d *hcl.Diagnostic) string {
	best, at := "", len(d.Detail)+1
	for _, o := range []string{media.OptVolumeID, media.OptKernel, media.OptInitrd, media.OptIsolinux, media.OptLdlinux,
		media.OptIsohybridMBR, media.OptEFILoader, media.OptKernelParams, media.OptContents, media.OptBIOS,
		media.OptAppendToLabel, media.OptKernelFile} {
		if i := strings.Index(d.Detail, o); i >= 0 && i < at {
			best, at = o, i
		}
	}
	return best
}

func hasLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestLabel(t *testing.T) {
	tests := []struct {
		name                                string
		prepend, distro, label, conf, appnd string
		want                                string
	}{
		{name: "nixos", distro: "NixOS", label: "26.11", appnd: " Installer", want: "NixOS 26.11 Installer"},
		{name: "all", prepend: "Try ", distro: "NixOS", label: "26.11", conf: "GNOME", appnd: " Live", want: "Try NixOS 26.11 GNOME Live"},
		{name: "no label", distro: "Demo", want: "Demo"},
		{name: "default name", want: "strata"},
		{name: "configuration only", conf: "it's", want: "strata it's"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &media.Spec{PrependToMenuLabel: tc.prepend, DistroName: tc.distro, SystemLabel: tc.label,
				ConfigurationName: tc.conf, AppendToMenuLabel: tc.appnd}
			if got := s.Label(); got != tc.want {
				t.Errorf("Label() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlanErrors checks that bad input gives an error located at the
// option's definition, naming the option, and no layout.
func TestPlanErrors(t *testing.T) {
	at := func(file string, line int) hcl.Range {
		return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 3, Byte: 10}, End: hcl.Pos{Line: line, Column: 9, Byte: 16}}
	}
	tests := []struct {
		name        string
		edit        func(*media.Spec)
		places      map[string][]hcl.Range
		wantSummary string
		wantSubject *hcl.Range
		wantDetail  []string
	}{
		{
			name:        "missing kernel",
			edit:        func(s *media.Spec) { s.Kernel = "/in/nope" },
			places:      map[string][]hcl.Range{media.OptKernel: {at("host.hcl", 7)}},
			wantSummary: "Boot input not found",
			wantSubject: &hcl.Range{Filename: "host.hcl", Start: hcl.Pos{Line: 7, Column: 3, Byte: 10}, End: hcl.Pos{Line: 7, Column: 9, Byte: 16}},
			wantDetail:  []string{"boot.files.kernel", `"/in/nope"`},
		},
		{
			name:        "kernel is a folder",
			edit:        func(s *media.Spec) { s.Kernel = "/extra/tree" },
			wantSummary: "Boot input not found",
			wantDetail:  []string{"boot.files.kernel", "not a regular file"},
		},
		{
			name:        "missing efi loader",
			edit:        func(s *media.Spec) { s.EFILoader = "" },
			places:      map[string][]hcl.Range{media.OptEFILoader: {at("a.hcl", 2), at("b.hcl", 4)}},
			wantSummary: "Boot file not set",
			wantSubject: &hcl.Range{Filename: "a.hcl", Start: hcl.Pos{Line: 2, Column: 3, Byte: 10}, End: hcl.Pos{Line: 2, Column: 9, Byte: 16}},
			wantDetail:  []string{"boot.files.efiLoader", "a.hcl:2", "b.hcl:4"},
		},
		{
			name:        "missing isolinux",
			edit:        func(s *media.Spec) { s.Isolinux = "/in/isolinux.nope" },
			wantSummary: "Boot input not found",
			wantDetail:  []string{"boot.files.isolinux"},
		},
		{
			name:        "missing mbr",
			edit:        func(s *media.Spec) { s.IsohybridMBR = "/in/mbr.nope" },
			wantSummary: "Boot input not found",
			wantDetail:  []string{"boot.files.isohybridMbr"},
		},
		{
			name:        "volume id with a forbidden character",
			edit:        func(s *media.Spec) { s.VolumeID = "nixos~26.11-x86_64" },
			places:      map[string][]hcl.Range{media.OptVolumeID: {at("host.hcl", 3)}},
			wantSummary: "Invalid volume ID",
			wantSubject: &hcl.Range{Filename: "host.hcl", Start: hcl.Pos{Line: 3, Column: 3, Byte: 10}, End: hcl.Pos{Line: 3, Column: 9, Byte: 16}},
			wantDetail:  []string{"isoImage.volumeID", `"nixos~26.11-x86_64"`, `"~"`},
		},
		{
			name:        "volume id too long",
			edit:        func(s *media.Spec) { s.VolumeID = strings.Repeat("A", 33) },
			wantSummary: "Invalid volume ID",
			wantDetail:  []string{"33 characters"},
		},
		{
			name:        "volume id empty",
			edit:        func(s *media.Spec) { s.VolumeID = "" },
			wantSummary: "Invalid volume ID",
			wantDetail:  []string{"is empty"},
		},
		{
			name: "clashing contents",
			edit: func(s *media.Spec) {
				s.Contents = []media.Content{{Source: "/extra/motd", Target: "/etc/motd"}, {Source: "/extra/tree/a", Target: "/etc/motd"}}
			},
			places:      map[string][]hcl.Range{media.OptContents: {at("a.hcl", 5), at("b.hcl", 9)}},
			wantSummary: "Clashing image contents",
			wantSubject: &hcl.Range{Filename: "a.hcl", Start: hcl.Pos{Line: 5, Column: 3, Byte: 10}, End: hcl.Pos{Line: 5, Column: 9, Byte: 16}},
			wantDetail:  []string{"/etc/motd", "isoImage.contents[0]", "isoImage.contents[1]", "a.hcl:5", "b.hcl:9"},
		},
		{
			name: "contents over the kernel",
			edit: func(s *media.Spec) {
				s.Contents = []media.Content{{Source: "/extra/motd", Target: "/boot/bzImage"}}
			},
			wantSummary: "Clashing image contents",
			wantDetail:  []string{"/boot/bzImage", "boot.files.kernel", "isoImage.contents[0]"},
		},
		{
			name: "folder over a file",
			edit: func(s *media.Spec) {
				s.Contents = []media.Content{{Source: "/extra/tree", Target: "/version.txt"}}
			},
			wantSummary: "Clashing image contents",
			wantDetail:  []string{"/version.txt", "strata's own file", "isoImage.contents[0]"},
		},
		{
			name: "file as a folder",
			edit: func(s *media.Spec) {
				s.Contents = []media.Content{{Source: "/extra/motd", Target: "/boot"}}
			},
			wantSummary: "Clashing image contents",
			wantDetail:  []string{"/boot would be a file", "isoImage.contents[0]", "the folder of /boot/"},
		},
		{
			name: "relative target",
			edit: func(s *media.Spec) {
				s.Contents = []media.Content{{Source: "/extra/motd", Target: "etc/motd"}}
			},
			wantSummary: "Invalid contents target",
			wantDetail:  []string{"isoImage.contents[0].target", `"etc/motd"`},
		},
		{
			name: "missing source",
			edit: func(s *media.Spec) {
				s.Contents = []media.Content{{Source: "/extra/nope", Target: "/etc/motd"}}
			},
			wantSummary: "Boot input not found",
			wantDetail:  []string{"isoImage.contents[0].source", `"/extra/nope"`},
		},
		{
			name:        "parameter with a newline",
			edit:        func(s *media.Spec) { s.KernelParams = append(s.KernelParams, "a\nb") },
			wantSummary: "Invalid kernel parameter",
			wantDetail:  []string{"boot.kernelParams", `"a\nb"`},
		},
		{
			name:        "parameter with a space",
			edit:        func(s *media.Spec) { s.KernelParams = append(s.KernelParams, "a b") },
			wantSummary: "Invalid kernel parameter",
			wantDetail:  []string{"boot.kernelParams"},
		},
		{
			name:        "label with a newline",
			edit:        func(s *media.Spec) { s.AppendToMenuLabel = "x\ny" },
			wantSummary: "Invalid menu label",
			wantDetail:  []string{"isoImage.appendToMenuLabel"},
		},
		{
			name:        "kernel file name with a slash",
			edit:        func(s *media.Spec) { s.KernelFile = "a/b" },
			wantSummary: "Invalid file name",
			wantDetail:  []string{"system.boot.loader.kernelFile", `"a/b"`},
		},
		{
			name:        "nothing boots",
			edit:        func(s *media.Spec) { s.BIOS, s.EFI, s.USB = false, false, false },
			wantSummary: "Image boots from nothing",
			wantDetail:  []string{"isoImage.makeBiosBootable"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			tc.edit(s)
			if tc.places != nil {
				s.Places = tc.places
			}
			l, diags := media.Plan(context.Background(), s)
			if l != nil {
				t.Errorf("Plan returned a layout with errors")
			}
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %s", len(diags), diags.Error())
			}
			d := diags[0]
			if d.Severity != hcl.DiagError || d.Summary != tc.wantSummary {
				t.Errorf("got %v %q, want error %q", d.Severity, d.Summary, tc.wantSummary)
			}
			if diff := cmp.Diff(tc.wantSubject, d.Subject); diff != "" {
				t.Errorf("Subject (-want +got):\n%s", diff)
			}
			extra, ok := d.Extra.(interface{ Places() []hcl.Range })
			if !ok {
				t.Fatalf("Extra is %T, want a Places() method", d.Extra)
			}
			if diff := cmp.Diff(tc.places[optOf(d)], extra.Places(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Places (-want +got):\n%s", diff)
			}
			for _, w := range tc.wantDetail {
				if !strings.Contains(d.Detail, w) {
					t.Errorf("Detail lacks %q: %s", w, d.Detail)
				}
			}
		})
	}
}

// TestPlanDeterministic plans the same Spec twice, with the contents in
// another order, and compares every file.
func TestPlanDeterministic(t *testing.T) {
	a, b := spec(), spec()
	a.Contents = []media.Content{{Source: "/extra/motd", Target: "/etc/motd"}, {Source: "/extra/tree", Target: "/opt"}}
	b.Contents = []media.Content{a.Contents[1], a.Contents[0]}
	la, da := media.Plan(context.Background(), a)
	lb, db := media.Plan(context.Background(), b)
	if da.HasErrors() || db.HasErrors() {
		t.Fatalf("Plan: %s %s", da.Error(), db.Error())
	}
	if diff := cmp.Diff(paths(la), paths(lb)); diff != "" {
		t.Fatalf("paths differ (-a +b):\n%s", diff)
	}
	for _, f := range la.Files {
		if x, y := read(t, la, f.Path), read(t, lb, f.Path); x != y {
			t.Errorf("%s differs between two plans", f.Path)
		}
	}
}

// TestPlanErrorsSorted checks that several errors come back sorted by
// place, each once.
func TestPlanErrorsSorted(t *testing.T) {
	s := spec()
	s.Kernel, s.VolumeID, s.Initrd = "/in/none", "bad~id", "/in/none2"
	at := func(line int) hcl.Range {
		return hcl.Range{Filename: "host.hcl", Start: hcl.Pos{Line: line, Byte: line * 10}, End: hcl.Pos{Line: line, Byte: line*10 + 5}}
	}
	s.Places = map[string][]hcl.Range{media.OptKernel: {at(9)}, media.OptVolumeID: {at(3)}, media.OptInitrd: {at(5)}}
	_, diags := media.Plan(context.Background(), s)
	var got []int
	for _, d := range diags {
		got = append(got, d.Subject.Start.Line)
	}
	if diff := cmp.Diff([]int{3, 5, 9}, got); diff != "" {
		t.Errorf("lines of the errors (-want +got):\n%s", diff)
	}
}
