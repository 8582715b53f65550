# The installer base: a live ISO image to install a system from, after
# NixOS's installer/cd-dvd/installation-cd-base.nix together with
# profiles/installation-device.nix and profiles/base.nix.
#
# Nothing about a machine's disks can be trusted before they are
# formatted, so on top of the cd-dvd base the installer replaces the whole
# file-system layout, the swap devices and the LUKS devices, each wrapped
# whole in mkImageMediaOverride (60): every host definition of those
# options is shadowed, even one with mkForce on a single key; only mkForce
# (or a lower number) on the whole option beats it.
imports = ["./cd-dvd.hcl"]

config {
  # The same five mount points as the cd-dvd base (NixOS reuses them
  # through config.lib.isoFileSystems), this time as the whole option.
  fileSystems = mkImageMediaOverride({
    "/" = {
      fsType  = "tmpfs"
      options = ["mode=0755"]
    }
    "/iso" = {
      device        = config.boot.initrd.systemd.enable ? format("/dev/disk/by-label/%s", config.isoImage.volumeID) : "/dev/root"
      neededForBoot = true
      noCheck       = true
    }
    "/nix/.ro-store" = {
      fsType        = "squashfs"
      device        = format("%s/iso/nix-store.squashfs", config.boot.initrd.systemd.enable ? "/sysroot" : "")
      options       = ["loop"]
      neededForBoot = true
    }
    "/nix/.rw-store" = {
      fsType        = "tmpfs"
      options       = ["mode=0755"]
      neededForBoot = true
    }
    "/nix/store" = {
      overlay = {
        lowerdir = ["/nix/.ro-store"]
        upperdir = "/nix/.rw-store/store"
        workdir  = "/nix/.rw-store/work"
      }
    }
  })

  swapDevices = mkImageMediaOverride([])

  boot {
    initrd {
      luks {
        devices = mkImageMediaOverride({})
      }
    }

    loader {
      grub {
        memtest86 {
          enable = true
        }
      }
    }

    # profiles/base.nix: the file systems an installer should be able to
    # read and create.
    supportedFilesystems = ["btrfs", "cifs", "f2fs", "ntfs", "vfat", "xfs", "zfs"]

    # Let forks succeed in low memory, as nix does many.
    kernel {
      sysctl = {
        "vm.overcommit_memory" = "1"
      }
    }
  }

  isoImage {
    makeEfiBootable = true
    makeUsbBootable = true
  }

  system {
    nixos {
      variant_id = mkDefault("installer")
    }
  }

  # An installer keeps its manuals, even under a profile that drops them.
  documentation {
    enable = mkImageMediaOverride(true)
    nixos {
      enable = mkImageMediaOverride(true)
    }
  }

  # The unprivileged "nixos" user, and root, log in with no password.
  users {
    users "nixos" {
      isNormalUser          = true
      extraGroups           = ["wheel", "networkmanager", "video"]
      initialHashedPassword = ""
    }
    users "root" {
      initialHashedPassword = ""
    }
  }

  services {
    getty {
      autologinUser = "nixos"
    }
    # sshd runs, but nobody can log in before setting a password or a key.
    openssh {
      enable = mkDefault(true)
      settings {
        PermitRootLogin = mkDefault("yes")
      }
    }
  }

  security {
    # Reboot and power off without root.
    polkit {
      enable = true
    }
    sudo {
      enable             = mkDefault(true)
      wheelNeedsPassword = mkImageMediaOverride(false)
    }
  }

  # wpa_supplicant is there, for the user to start.
  networking {
    wireless {
      enable = mkDefault(true)
      userControlled {
        enable = true
      }
    }
  }
}
