package media

import (
	"io"
	"strings"

	"github.com/strata-build/strata/iso"
)

// NewWriter returns an iso.Writer holding the layout's files and boot
// settings, ready for its WriteTo or for iso.WriteFile. progress, when not
// nil, is called as iso.Options.Progress says. Each call returns a new
// Writer; a Writer writes one image.
func (l *Layout) NewWriter(progress func(done, total int64)) (*iso.Writer, error) {
	opts := &iso.Options{
		VolumeID:    l.VolumeID,
		Publisher:   "strata",
		Application: "strata",
		ModTime:     l.ModTime,
		Progress:    progress,
	}
	if l.BIOSImage != "" || l.EFIImage != "" {
		opts.Boot = &iso.Boot{
			BIOS:      isoPath(l.BIOSImage),
			EFI:       isoPath(l.EFIImage),
			Catalog:   isoPath(l.Catalog),
			HybridMBR: l.HybridMBR,
		}
	}
	w := iso.NewWriter(opts)
	for _, f := range l.Files {
		err := w.Add(iso.Entry{
			Path:    isoPath(f.Path),
			Mode:    f.Mode,
			ModTime: l.ModTime,
			Size:    f.Size,
			Open:    f.Open,
		})
		if err != nil {
			return nil, err
		}
	}
	return w, nil
}

// WriteTo writes the image to w in one pass, front to back. It implements
// io.WriterTo. The layout may be written any number of times.
func (l *Layout) WriteTo(w io.Writer) (int64, error) {
	iw, err := l.NewWriter(nil)
	if err != nil {
		return 0, err
	}
	return iw.WriteTo(w)
}

// isoPath turns an absolute image path into the iso package's form.
func isoPath(p string) string {
	if p == "" {
		return ""
	}
	return strings.TrimPrefix(p, "/")
}
