# The cd-dvd base: a bootable ISO image holding the system, after NixOS's
# nixos/modules/installer/cd-dvd/iso-image.nix.
#
# The image mounts a tmpfs as "/", the medium itself as "/iso", and the
# store as an overlay of a read-only squashfs and a tmpfs. It overrides only
# those mount points, each one on its own at image-media priority
# (mkImageMediaOverride, 60), so a host's other file systems ("/home", ...)
# are kept, a host's plain definition of one of these five loses, and a
# host's mkForce on one of them wins. The definition of fileSystems as a
# whole stays plain.
imports = [
  "./options/common.hcl",
  "./options/iso-image.hcl",
]

config {
  fileSystems = {
    "/" = mkImageMediaOverride({
      fsType  = "tmpfs"
      options = ["mode=0755"]
    })

    # /dev/root is the link stage 1 makes to the device named by root= on
    # the kernel command line; the systemd stage 1 finds it by label.
    "/iso" = mkImageMediaOverride({
      device        = config.boot.initrd.systemd.enable ? format("/dev/disk/by-label/%s", config.isoImage.volumeID) : "/dev/root"
      neededForBoot = true
      noCheck       = true
    })

    # The store: a squashfs image on the medium, read-only ...
    "/nix/.ro-store" = mkImageMediaOverride({
      fsType        = "squashfs"
      device        = format("%s/iso/nix-store.squashfs", config.boot.initrd.systemd.enable ? "/sysroot" : "")
      options       = ["loop"]
      neededForBoot = true
    })

    # ... under a tmpfs that takes the writes ...
    "/nix/.rw-store" = mkImageMediaOverride({
      fsType        = "tmpfs"
      options       = ["mode=0755"]
      neededForBoot = true
    })

    # ... joined by an overlay, which sets fsType, device, options and
    # depends from these three directories.
    "/nix/store" = mkImageMediaOverride({
      overlay = {
        lowerdir = ["/nix/.ro-store"]
        upperdir = "/nix/.rw-store/store"
        workdir  = "/nix/.rw-store/work"
      }
    })
  }

  boot {
    loader {
      # The image boots through its own loader files, never a GRUB install.
      grub {
        enable = mkImageMediaOverride(false)
      }
      timeout = 10
    }

    # Stage 1 mounts the medium by label, passed on the command line so that
    # tools which copy the image to a USB stick can rewrite it.
    kernelParams = mkIf(!config.boot.initrd.systemd.enable, [
      "boot.shell_on_fail",
      "root=LABEL=${config.isoImage.volumeID}",
    ])

    initrd {
      availableKernelModules = ["squashfs", "iso9660", "uas", "overlay"]
      kernelModules          = ["loop", "overlay"]
      # vfat lets people copy the medium's contents to a USB stick.
      supportedFilesystems = ["vfat"]
    }
  }
}

# ECMA-119 8.4.6: the volume identifier has room for 32 characters.
assert {
  condition = length(config.isoImage.volumeID) <= 32
  message   = format("isoImage.volumeID %s is %d characters. That is %d characters longer than the limit of 32.", config.isoImage.volumeID, length(config.isoImage.volumeID), length(config.isoImage.volumeID) - 32)
}
