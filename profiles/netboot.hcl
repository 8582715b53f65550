# The netboot base: a kernel, an initial ramdisk and an iPXE script to boot
# the system over the network, after NixOS's
# nixos/modules/installer/netboot/netboot.nix.
#
# Netboot images are made to target known machines, so this base overrides
# only what it depends on: "/" and the three store mounts, each key on its
# own at image-media priority (60). There is no "/iso" and no root=LABEL=
# (the store comes with the initial ramdisk), and swap and LUKS devices are
# left to the host.
imports = [
  "./options/common.hcl",
  "./options/netboot.hcl",
]

config {
  fileSystems = {
    "/" = mkImageMediaOverride({
      fsType  = "tmpfs"
      options = ["mode=0755"]
    })

    # The store image is carried in the initial ramdisk, next to stage 1's
    # root, hence the relative device.
    "/nix/.ro-store" = mkImageMediaOverride({
      fsType        = "squashfs"
      device        = "../nix-store.squashfs"
      options       = ["loop"]
      neededForBoot = true
    })

    "/nix/.rw-store" = mkImageMediaOverride({
      fsType        = "tmpfs"
      options       = ["mode=0755"]
      neededForBoot = true
    })

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
      # NixOS writes this one plain, not at image-media priority.
      grub {
        enable = false
      }
      timeout = 10
    }

    initrd {
      availableKernelModules = ["squashfs", "overlay"]
      kernelModules          = ["loop", "overlay"]
    }
  }
}
