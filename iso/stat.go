package iso

// sysStat is what AddFS uses from a system-specific FileInfo.Sys value.
type sysStat struct {
	uid, gid uint32
	nlink    uint64
	dev, ino uint64
}
