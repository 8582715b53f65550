package media

import (
	"bytes"
	"context"
	"fmt"
	"github.com/strata-build/strata/iso"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Diagnostic summaries of the media builders.
const (
	summaryNotSet       = "Boot file not set"
	summaryMissingFile  = "Boot input not found"
	summaryBadVolumeID  = "Invalid volume ID"
	summaryBadParam     = "Invalid kernel parameter"
	summaryBadLabel     = "Invalid menu label"
	summaryBadTarget    = "Invalid contents target"
	summaryClash        = "Clashing image contents"
	summaryNothingBoots = "Image boots from nothing"
	summaryBadFileName  = "Invalid file name"
)

// File is one regular file of a Layout. Folders are implied by the paths.
type File struct {
	// Path is the absolute, clean path inside the image.
	Path string
	// Size is the number of bytes Open's reader gives.
	Size int64
	// Mode holds the permission bits (Rock Ridge).
	Mode fs.FileMode
	// Open opens the contents. The caller closes the reader.
	Open func() (io.ReadCloser, error)
	// Origin says what put the file there: an option path (with the
	// element's index for isoImage.contents), or "strata" for a generated
	// file.
	Origin string
}

// Layout is a planned image: its files and boot settings, computed from
// the Spec's metadata. It is read-only once Plan returns it.
type Layout struct {
	// VolumeID is the volume identifier.
	VolumeID string
	// ModTime is the date of the volume and of every file.
	ModTime time.Time
	// Files are the image's files, sorted by Path.
	Files []File
	// BIOSImage is the path of the El Torito BIOS boot image (no
	// emulation, load size 4, boot info table); "" for none.
	BIOSImage string
	// EFIImage is the path of the El Torito EFI boot image (a FAT image);
	// "" for none.
	EFIImage string
	// Catalog is the path of the El Torito boot catalog; "" when the image
	// has no boot entry.
	Catalog string
	// HybridMBR is the isohybrid MBR template (isohdpfx.bin); nil when the
	// image is not made to boot from a disk.
	HybridMBR []byte
	// GPT says whether the hybrid image also carries a GPT whose second
	// partition is the EFI image.
	GPT bool
}

// Find returns the file at path p and whether there is one.
func (l *Layout) Find(p string) (File, bool) {
	i := sort.Search(len(l.Files), func(i int) bool { return l.Files[i].Path >= p })
	if i < len(l.Files) && l.Files[i].Path == p {
		return l.Files[i], true
	}
	return File{}, false
}

// Plan checks s and lays out its image. It stats every input and reads only
// the hybrid MBR template (432 bytes); the FAT image around the EFI loader is
// planned from the loader's size and made while the image is written. The
// Layout is nil whenever the diagnostics have errors; each error names the
// option involved and, when s.Places has them, the places that define it.
// Plan stops early with an error when ctx is done.
func Plan(ctx context.Context, s *Spec) (*Layout, hcl.Diagnostics) {
	p := &planner{s: s, l: &Layout{VolumeID: s.VolumeID, ModTime: s.modTime()}, seen: map[string]string{}}
	p.checkCommon()
	p.checkNames()
	if !s.BIOS && !s.EFI && !s.USB {
		p.diags = append(p.diags, p.diag(summaryNothingBoots, OptBIOS,
			"None of isoImage.makeBiosBootable, makeEfiBootable and makeUsbBootable is set, so the image would not boot. Set at least one of them (without the isoImage options, as on the netboot base, set boot.files.isolinux and boot.files.ldlinux, or boot.files.efiLoader)."))
	}

	p.addInput(s.KernelPath(), OptKernel, s.Kernel)
	p.addInput(s.InitrdPath(), OptInitrd, s.Initrd)
	if s.BIOS || s.USB {
		p.addInput(IsolinuxBinPath, OptIsolinux, s.Isolinux)
		p.addInput(LdlinuxPath, OptLdlinux, s.Ldlinux)
		p.addBytes(IsolinuxCfgPath, []byte(isolinuxConfig(s)))
		p.l.BIOSImage = IsolinuxBinPath
	}
	if s.USB {
		if data, ok := p.readInput(OptIsohybridMBR, s.IsohybridMBR, 512); ok {
			p.l.HybridMBR = data
		}
	}
	if s.EFI {
		if loader, ok := p.inputFile(EFILoaderPath, OptEFILoader, s.EFILoader); ok {
			img, err := efiImageFile(loader, p.l.ModTime)
			if err != nil {
				p.diags = append(p.diags, p.diag(summaryMissingFile, OptEFILoader,
					fmt.Sprintf("The EFI boot image cannot be made from %s (%q): %v.", OptEFILoader, s.EFILoader, err)))
			} else {
				p.add(img)
				p.add(loader)
				p.l.EFIImage = EFIImagePath
			}
		}
		p.addBytes(GrubCfgPath, []byte(grubConfig(s)))
		p.addBytes(MarkerPath, nil)
		p.l.GPT = s.USB
	}
	if p.l.BIOSImage != "" || p.l.EFIImage != "" {
		p.l.Catalog = BootCatalogPath
		p.reserve(BootCatalogPath, "strata")
	}
	p.addBytes(VersionPath, []byte(versionText(s)))
	if s.Config != nil {
		p.addBytes(ConfigPath, s.Config)
	}
	for i, c := range s.Contents {
		if err := ctx.Err(); err != nil {
			p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Interrupted", Detail: err.Error()})
			break
		}
		p.addContent(i, c)
	}
	p.checkParents()
	sortDiags(p.diags)
	if p.diags.HasErrors() {
		return nil, p.diags
	}
	sort.Slice(p.l.Files, func(i, j int) bool { return p.l.Files[i].Path < p.l.Files[j].Path })
	return p.l, p.diags
}

type planner struct {
	s     *Spec
	l     *Layout
	seen  map[string]string // image path -> origin, for clashes
	diags hcl.Diagnostics
}

// diag makes an error about option opt, located at its first definition and
// naming the others.
func (p *planner) diag(summary, opt, detail string) *hcl.Diagnostic {
	return p.diagKeys(summary, []string{opt}, detail)
}

// diagKeys makes an error about the options or list elements keys
// ("isoImage.contents[2]"), located at the first place of the first key
// and naming every place of them all. An element without places of its own
// in s.Places has those of its option.
func (p *planner) diagKeys(summary string, keys []string, detail string) *hcl.Diagnostic {
	var places []hcl.Range
	var lines []string
	seen := map[hcl.Range]bool{}
	for _, k := range keys {
		rs, ok := p.s.Places[k]
		if !ok {
			if base, _, cut := strings.Cut(k, "["); cut {
				k, rs = base, p.s.Places[base]
			}
		}
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				places = append(places, r)
				lines = append(lines, fmt.Sprintf("\n  %s is defined at %s", k, rangeString(r)))
			}
		}
	}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Extra: Places(places)}
	if len(places) > 0 {
		r := places[0]
		d.Subject = &r
	}
	if len(places) > 1 {
		d.Detail += strings.Join(lines, "")
	}
	return d
}

// originKeys returns the origins that are options or elements, those of
// isoImage.contents first.
func originKeys(origins ...string) []string {
	var first, rest []string
	for _, o := range origins {
		o, _, _ = strings.Cut(o, " ")
		switch {
		case strings.HasPrefix(o, OptContents):
			first = append(first, o)
		case o != "strata":
			rest = append(rest, o)
		}
	}
	return append(first, rest...)
}

// Places is the Extra of the media builders' diagnostics: every definition
// of the option involved, for tools that want them all.
type Places []hcl.Range

// Places returns the places.
func (p Places) Places() []hcl.Range { return p }

// sortDiags sorts diagnostics by file and offset (those without a place
// last), as go/scanner's ErrorList.Sort does, keeping the order of equals.
func sortDiags(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}

func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

func (p *planner) checkCommon() {
	s := p.s
	if msg := checkVolumeID(s.VolumeID); msg != "" {
		p.diags = append(p.diags, p.diag(summaryBadVolumeID, OptVolumeID,
			fmt.Sprintf("%s %q %s. A volume ID has 1 to 32 characters: letters, digits and _ !\"%%&'()*+,-./:;<=>? (the a-characters of ECMA-119 7.4.1 and lower case, as xorriso accepts them), such as \"STRATA_LIVE\" or \"nixos-26.11-x86_64\".", OptVolumeID, s.VolumeID, msg)))
	}
	for _, kp := range s.KernelParams {
		p.checkParam(kp)
	}
	p.checkLabels()
}

// checkNames checks the media names of the kernel and initrd.
func (p *planner) checkNames() {
	for _, n := range []struct{ opt, v string }{
		{OptKernelFile, p.s.KernelFile},
		{OptInitrdFile, p.s.InitrdFile},
		{OptScriptName, p.s.ScriptName},
	} {
		if n.v != "" && (strings.ContainsAny(n.v, "/\\") || n.v == "." || n.v == ".." || strings.ContainsFunc(n.v, isControl)) {
			p.diags = append(p.diags, p.diag(summaryBadFileName, n.opt,
				fmt.Sprintf("%s is %q; it must be a plain file name, such as \"bzImage\", without \"/\".", n.opt, n.v)))
		}
	}
}

func (p *planner) checkParam(kp string) {
	if kp == "" || strings.ContainsAny(kp, " \t") && !strings.Contains(kp, `"`) || strings.ContainsFunc(kp, isControl) {
		p.diags = append(p.diags, p.diag(summaryBadParam, OptKernelParams,
			fmt.Sprintf("%s has the element %q. A kernel parameter is one word (spaces only inside double quotes, as in foo=\"a b\") and has no control characters.", OptKernelParams, kp)))
	}
}

func (p *planner) checkLabels() {
	s := p.s
	for _, l := range []struct{ opt, v string }{
		{OptPrependToLabel, s.PrependToMenuLabel},
		{OptDistroName, s.DistroName},
		{OptSystemLabel, s.SystemLabel},
		{OptConfigurationName, s.ConfigurationName},
		{OptAppendToLabel, s.AppendToMenuLabel},
	} {
		if strings.ContainsFunc(l.v, isControl) {
			p.diags = append(p.diags, p.diag(summaryBadLabel, l.opt,
				fmt.Sprintf("%s is %q. A boot menu label is one line without control characters.", l.opt, l.v)))
		}
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// checkVolumeID returns what is wrong with id, or "". The characters are
// the iso writer's rule (iso.CheckVolumeID, not strict): NixOS-style IDs
// such as "nixos-26.11-x86_64" pass, since the booted system looks its
// medium up by that exact label.
func checkVolumeID(id string) string {
	switch {
	case id == "":
		return "is empty"
	case len(id) > 32:
		return fmt.Sprintf("has %d characters", len(id))
	}
	if err := iso.CheckVolumeID(id, false); err != nil {
		for i := 0; i < len(id); i++ {
			if iso.CheckVolumeID(id[i:i+1], false) != nil {
				return fmt.Sprintf("has the character %q", id[i:i+1])
			}
		}
		return err.Error()
	}
	return ""
}

// open and stat read the Spec's paths from s.FS or the operating system.
func (p *planner) stat(name string) (fs.FileInfo, error) {
	if p.s.FS == nil {
		return os.Stat(name)
	}
	return fs.Stat(p.s.FS, fsName(name))
}

func (p *planner) opener(name string) func() (io.ReadCloser, error) {
	fsys := p.s.FS
	return func() (io.ReadCloser, error) {
		if fsys == nil {
			return os.Open(name)
		}
		return fsys.Open(fsName(name))
	}
}

func fsName(name string) string {
	n := strings.TrimPrefix(path.Clean(filepath.ToSlash(name)), "/")
	if n == "" {
		return "."
	}
	return n
}

// addInput adds the input file src of option opt at image path dst.
func (p *planner) addInput(dst, opt, src string) {
	if f, ok := p.inputFile(dst, opt, src); ok {
		p.add(f)
	}
}

// inputFile stats the input file src of option opt, to go at image path
// dst.
func (p *planner) inputFile(dst, opt, src string) (File, bool) {
	if src == "" {
		p.diags = append(p.diags, p.diag(summaryNotSet, opt,
			fmt.Sprintf("%s is not set, and the image needs it at %s. Set it to the path of the file.", opt, dst)))
		return File{}, false
	}
	fi, err := p.stat(src)
	switch {
	case err != nil:
		p.diags = append(p.diags, p.diag(summaryMissingFile, opt,
			fmt.Sprintf("%s is %q, which cannot be read: %v. Set it to an existing file (scripts/boot-inputs prepares the boot inputs).", opt, src, unwrapPath(err))))
		return File{}, false
	case !fi.Mode().IsRegular():
		p.diags = append(p.diags, p.diag(summaryMissingFile, opt,
			fmt.Sprintf("%s is %q, which is not a regular file.", opt, src)))
		return File{}, false
	}
	return File{Path: dst, Size: fi.Size(), Mode: 0o444, Open: p.opener(src), Origin: opt}, true
}

// unwrapPath drops the path from a *fs.PathError: the detail already
// names the file.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// readInput reads the small input file src of option opt, at most limit
// bytes.
func (p *planner) readInput(opt, src string, limit int64) ([]byte, bool) {
	if src == "" {
		p.diags = append(p.diags, p.diag(summaryNotSet, opt,
			fmt.Sprintf("%s is not set, and the boot settings need it. Set it to the path of the file.", opt)))
		return nil, false
	}
	rc, err := p.opener(src)()
	if err == nil {
		defer rc.Close()
		var data []byte
		data, err = io.ReadAll(io.LimitReader(rc, limit+1))
		if err == nil && int64(len(data)) > limit {
			err = fmt.Errorf("larger than %d bytes", limit)
		}
		if err == nil {
			return data, true
		}
	}
	p.diags = append(p.diags, p.diag(summaryMissingFile, opt,
		fmt.Sprintf("%s is %q, which cannot be read: %v. Set it to an existing file (scripts/boot-inputs prepares the boot inputs).", opt, src, unwrapPath(err))))
	return nil, false
}

// addBytes adds a generated file.
func (p *planner) addBytes(dst string, data []byte) {
	p.add(File{Path: dst, Size: int64(len(data)), Mode: 0o444, Origin: "strata",
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
}

// reserve claims a path that the iso writer fills (the boot catalog).
func (p *planner) reserve(dst, origin string) {
	if prev, ok := p.seen[dst]; ok {
		p.clash(dst, prev, origin)
		return
	}
	p.seen[dst] = origin
}

func (p *planner) add(f File) {
	if prev, ok := p.seen[f.Path]; ok {
		p.clash(f.Path, prev, f.Origin)
		return
	}
	p.l.Files = append(p.l.Files, f)
	p.seen[f.Path] = f.Origin
}

func (p *planner) clash(dst, a, b string) {
	p.diags = append(p.diags, p.diagKeys(summaryClash, originKeys(a, b),
		fmt.Sprintf("Two files would go to %s in the image: %s and %s. Give one of them another target in %s.", dst, describeOrigin(a), describeOrigin(b), OptContents)))
}

// addContent adds element i of isoImage.contents.
func (p *planner) addContent(i int, c Content) {
	elem := fmt.Sprintf("%s[%d]", OptContents, i)
	t := c.Target
	if !strings.HasPrefix(t, "/") || path.Clean(t) != t && path.Clean(t)+"/" != t {
		p.diags = append(p.diags, p.diagKeys(summaryBadTarget, []string{elem},
			fmt.Sprintf("%s.target is %q; a target is an absolute, clean path inside the image, such as \"/etc/motd\".", elem, t)))
		return
	}
	t = path.Clean(t)
	if c.Source == "" {
		p.diags = append(p.diags, p.diagKeys(summaryNotSet, []string{elem},
			fmt.Sprintf("%s.source is empty; it must name a file or folder to put at %s.", elem, t)))
		return
	}
	fi, err := p.stat(c.Source)
	if err != nil {
		p.diags = append(p.diags, p.diagKeys(summaryMissingFile, []string{elem},
			fmt.Sprintf("%s.source is %q, which cannot be read: %v.", elem, c.Source, unwrapPath(err))))
		return
	}
	if fi.Mode().IsRegular() {
		if t == "/" {
			p.diags = append(p.diags, p.diagKeys(summaryBadTarget, []string{elem},
				fmt.Sprintf("%s puts the file %q at \"/\", the root folder; give it a file name.", elem, c.Source)))
			return
		}
		p.add(File{Path: t, Size: fi.Size(), Mode: fi.Mode().Perm() | 0o444, Open: p.opener(c.Source), Origin: elem})
		return
	}
	if !fi.IsDir() {
		p.diags = append(p.diags, p.diagKeys(summaryBadTarget, []string{elem},
			fmt.Sprintf("%s.source is %q, which is neither a file nor a folder.", elem, c.Source)))
		return
	}
	var fsys fs.FS
	if p.s.FS == nil {
		fsys = os.DirFS(c.Source)
	} else {
		sub, err := fs.Sub(p.s.FS, fsName(c.Source))
		if err != nil {
			p.diags = append(p.diags, p.diagKeys(summaryMissingFile, []string{elem},
				fmt.Sprintf("%s.source is %q, which cannot be read: %v.", elem, c.Source, err)))
			return
		}
		fsys = sub
	}
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		// Follow symbolic links: the image holds what they point at.
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", name)
		}
		src := name
		p.add(File{
			Path:   path.Join(t, name),
			Size:   info.Size(),
			Mode:   info.Mode().Perm() | 0o444,
			Open:   func() (io.ReadCloser, error) { return fsys.Open(src) },
			Origin: elem,
		})
		return nil
	})
	if err != nil {
		p.diags = append(p.diags, p.diagKeys(summaryMissingFile, []string{elem},
			fmt.Sprintf("%s.source is the folder %q, which cannot be read: %v.", elem, c.Source, err)))
	}
}

// checkParents reports a file whose path runs through another file, such as
// /boot when /boot/bzImage exists, once for each such file.
func (p *planner) checkParents() {
	paths := make([]string, 0, len(p.seen))
	for k := range p.seen {
		paths = append(paths, k)
	}
	sort.Strings(paths)
	reported := map[string]bool{}
	for _, k := range paths {
		for dir := path.Dir(k); dir != "/"; dir = path.Dir(dir) {
			o, ok := p.seen[dir]
			if !ok || reported[dir] {
				continue
			}
			reported[dir] = true
			p.diags = append(p.diags, p.diagKeys(summaryClash, originKeys(o, p.seen[k]),
				fmt.Sprintf("%s would be a file in the image (from %s) and also the folder of %s (from %s). Give one of them another target in %s.",
					dir, describeOrigin(o), k, describeOrigin(p.seen[k]), OptContents)))
		}
	}
}

func describeOrigin(o string) string {
	if o == "strata" {
		return "strata's own file"
	}
	return o
}
