package media

import (
	"io"
	"time"

	"github.com/strata-build/strata/iso/fat"
)

// efiImageFile plans the El Torito EFI boot image: a FAT image holding the
// loader as EFI/BOOT/BOOTX64.EFI, the path UEFI firmware boots from
// removable media (UEFI 2.10, 3.5.1.1). The image is generated while the
// ISO is written, through a pipe, and never staged.
func efiImageFile(loader File, mtime time.Time) (File, error) {
	c := &fat.Config{Label: "STRATA_EFI", ModTime: mtime}
	im, err := c.Plan([]fat.Entry{
		{Path: "EFI", Dir: true},
		{Path: "EFI/BOOT", Dir: true},
		{Path: "EFI/BOOT/BOOTX64.EFI", Size: loader.Size, Open: loader.Open},
	})
	if err != nil {
		return File{}, err
	}
	return File{
		Path:   EFIImagePath,
		Size:   im.Size(),
		Mode:   0o444,
		Origin: OptEFILoader,
		Open: func() (io.ReadCloser, error) {
			pr, pw := io.Pipe()
			go func() {
				_, err := im.WriteTo(pw)
				pw.CloseWithError(err)
			}()
			return pr, nil
		},
	}, nil
}
