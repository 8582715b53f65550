//go:build !unix

package iso

import "io/fs"

// statOf reports no owner or identity where the system gives none.
func statOf(fs.FileInfo) (sysStat, bool) { return sysStat{}, false }
