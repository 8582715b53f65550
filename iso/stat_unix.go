//go:build unix

package iso

import (
	"io/fs"
	"syscall"
)

// statOf returns the owner, link count and identity of a file from its
// *syscall.Stat_t, when the FileInfo has one.
func statOf(info fs.FileInfo) (sysStat, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return sysStat{}, false
	}
	return sysStat{uid: st.Uid, gid: st.Gid, nlink: uint64(st.Nlink), dev: uint64(st.Dev), ino: st.Ino}, true
}
