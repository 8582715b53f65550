# Declarations of netboot media, named after NixOS's
# nixos/modules/installer/netboot/netboot.nix. The netboot base imports this
# module; the media builder reads these options to write the netboot tree
# (kernel, initial ramdisk and iPXE script).

option "netboot.squashfsCompression" {
  type        = str
  default     = "zstd -Xcompression-level 19"
  description = "The mksquashfs compression settings for a store image carried in the initial ramdisk."
  example     = "zstd -Xcompression-level 6"
}

option "netboot.ipxeScriptName" {
  type        = strMatching("[^/]+")
  default     = "netboot.ipxe"
  description = "The file name of the iPXE script in the netboot tree. The script loads system.boot.loader.kernelFile with boot.kernelParams and initrd=<initrdFile>, then system.boot.loader.initrdFile, from the directory it was fetched from."
}
