package media

import (
	"io/fs"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// ConfigPath is where the merged configuration, as JSON, sits in every
// image and netboot folder strata writes. A booted system, or a test that
// boots the image, reads it there.
const ConfigPath = "/strata/config.json"

// Paths of the generated and copied files inside the image.
const (
	IsolinuxBinPath = "/isolinux/isolinux.bin"
	LdlinuxPath     = "/isolinux/ldlinux.c32"
	IsolinuxCfgPath = "/isolinux/isolinux.cfg"
	BootCatalogPath = "/isolinux/boot.cat"
	GrubCfgPath     = "/boot/grub/grub.cfg"
	MarkerPath      = "/boot/grub/strata.tag"
	EFIImagePath    = "/boot/efiboot.img"
	EFILoaderPath   = "/EFI/BOOT/BOOTX64.EFI"
	VersionPath     = "/version.txt"
)

// Option paths a Spec's fields come from (the profiles package declares
// them). Errors name them, and Spec.Places is keyed by them.
const (
	OptVolumeID          = "isoImage.volumeID"
	OptKernel            = "boot.files.kernel"
	OptInitrd            = "boot.files.initrd"
	OptIsolinux          = "boot.files.isolinux"
	OptLdlinux           = "boot.files.ldlinux"
	OptIsohybridMBR      = "boot.files.isohybridMbr"
	OptEFILoader         = "boot.files.efiLoader"
	OptKernelParams      = "boot.kernelParams"
	OptKernelFile        = "system.boot.loader.kernelFile"
	OptInitrdFile        = "system.boot.loader.initrdFile"
	OptTimeout           = "boot.loader.timeout"
	OptPrependToLabel    = "isoImage.prependToMenuLabel"
	OptConfigurationName = "isoImage.configurationName"
	OptAppendToLabel     = "isoImage.appendToMenuLabel"
	OptDistroName        = "system.nixos.distroName"
	OptSystemLabel       = "system.nixos.label"
	OptScriptName        = "netboot.ipxeScriptName"
	OptContents          = "isoImage.contents"
	OptBIOS              = "isoImage.makeBiosBootable"
	OptEFI               = "isoImage.makeEfiBootable"
	OptUSB               = "isoImage.makeUsbBootable"
)

// Spec is everything the media builders need, as plain Go values. The zero
// value is not buildable: a Spec needs at least a volume ID, a kernel and an
// initrd. The builders read a Spec and never change it or keep it.
type Spec struct {
	// VolumeID is the ISO 9660 volume identifier (isoImage.volumeID): 1 to
	// 32 characters that iso.CheckVolumeID accepts, such as NixOS's
	// "nixos-26.11-x86_64". It is written as it is: Linux finds the
	// medium by it, as the cd-dvd base's root=LABEL=<volumeID> asks.
	VolumeID string

	// Kernel and Initrd are the files booted (boot.files.kernel,
	// boot.files.initrd).
	Kernel, Initrd string
	// KernelFile and InitrdFile are their names on the media
	// (system.boot.loader.kernelFile, initrdFile): /boot/<name> in an
	// image, <name> in a netboot folder. Empty reads "bzImage" and
	// "initrd", NixOS's names.
	KernelFile, InitrdFile string
	// Isolinux, Ldlinux and IsohybridMBR are isolinux.bin, ldlinux.c32 and
	// isohdpfx.bin. The first two are needed when BIOS is set, the third
	// when BIOS and USB are.
	Isolinux, Ldlinux, IsohybridMBR string
	// EFILoader is BOOTX64.EFI, needed when EFI is set. It must find the
	// medium by MarkerPath and load GrubCfgPath, as the loader that
	// scripts/boot-inputs makes does.
	EFILoader string

	// KernelParams is the kernel command line, one parameter each
	// (boot.kernelParams).
	KernelParams []string
	// Timeout is how long the boot menus wait, in seconds
	// (boot.loader.timeout); nil waits until an entry is chosen.
	Timeout *int
	// DistroName and SystemLabel are system.nixos.distroName and
	// system.nixos.label. SystemLabel is also the content of VersionPath.
	DistroName, SystemLabel string
	// PrependToMenuLabel, ConfigurationName and AppendToMenuLabel are
	// isoImage.prependToMenuLabel, configurationName (null is "") and
	// appendToMenuLabel. See Label.
	PrependToMenuLabel, ConfigurationName, AppendToMenuLabel string

	// Contents are extra files or folders put into the image
	// (isoImage.contents).
	Contents []Content

	// BIOS, EFI and USB are isoImage.makeBiosBootable, makeEfiBootable and
	// makeUsbBootable. USB adds the hybrid MBR (and, with EFI, a GPT) so
	// the image also boots when written to a disk.
	BIOS, EFI, USB bool

	// ScriptName is the name of the iPXE script in a netboot folder
	// (netboot.ipxeScriptName). Empty reads "netboot.ipxe".
	ScriptName string

	// Config is the merged configuration as JSON, written to ConfigPath.
	// Nil writes no configuration file.
	Config []byte

	// ModTime is the date of every file and of the volume. The zero value
	// is 1980-01-01 UTC, so the same Spec always gives the same bytes.
	ModTime time.Time

	// FS is where the paths of the Spec are read. Nil means the operating
	// system's file system, where relative paths are relative to the
	// working directory. With an FS, paths are cleaned and a leading "/" is
	// dropped.
	FS fs.FS

	// Places gives, for an option path (the Opt constants), the source
	// ranges of its definitions, so that errors can name them; a key such
	// as "isoImage.contents[2]" gives the definition of one list element
	// (an element without a key of its own has its option's places). Nil
	// or a missing key names no place.
	Places map[string][]hcl.Range
}

// Content is one element of isoImage.contents: the file or folder Source
// put into the image at Target, an absolute path. A folder is copied whole.
type Content struct {
	Source string `cty:"source"`
	Target string `cty:"target"`
}

// Label returns the label of the default boot entry, NixOS's
// <prepend><distroName> <label><append>, with the configuration name, when
// there is one, after the system label:
// PrependToMenuLabel + DistroName + " " + SystemLabel + " " +
// ConfigurationName + AppendToMenuLabel. Empty parts and their spaces are
// left out; with no DistroName and no SystemLabel the name reads "strata".
func (s *Spec) Label() string {
	var parts []string
	for _, p := range []string{s.DistroName, s.SystemLabel, s.ConfigurationName} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if s.DistroName == "" && s.SystemLabel == "" {
		parts = append([]string{"strata"}, parts...)
	}
	return s.PrependToMenuLabel + strings.Join(parts, " ") + s.AppendToMenuLabel
}

func (s *Spec) scriptName() string {
	if s.ScriptName == "" {
		return "netboot.ipxe"
	}
	return s.ScriptName
}

func (s *Spec) modTime() time.Time {
	if s.ModTime.IsZero() {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return s.ModTime
}

func (s *Spec) kernelFile() string {
	if s.KernelFile == "" {
		return "bzImage"
	}
	return s.KernelFile
}

func (s *Spec) initrdFile() string {
	if s.InitrdFile == "" {
		return "initrd"
	}
	return s.InitrdFile
}

// KernelPath returns the kernel's path in the image: /boot/<KernelFile>.
func (s *Spec) KernelPath() string { return "/boot/" + s.kernelFile() }

// InitrdPath returns the initrd's path in the image: /boot/<InitrdFile>.
func (s *Spec) InitrdPath() string { return "/boot/" + s.initrdFile() }
