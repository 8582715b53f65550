# A live installer image for the demo host "lab": the installer base, the
# boot inputs from the folder build.sh prepared (passed as
# --arg bootInputs=DIR), a serial console, and a welcome file in the image.
imports = ["<profiles/installer.hcl>"]

config {
  networking {
    hostName = "lab"
  }

  isoImage {
    volumeID           = "STRATA_LIVE"
    prependToMenuLabel = "Lab "
    contents = [
      { source = "./welcome.txt", target = "/welcome.txt" },
    ]
  }

  boot {
    files {
      kernel       = "${arg.bootInputs}/vmlinuz"
      initrd       = "${arg.bootInputs}/initrd.img"
      isolinux     = "${arg.bootInputs}/isolinux.bin"
      ldlinux      = "${arg.bootInputs}/ldlinux.c32"
      isohybridMbr = "${arg.bootInputs}/isohdpfx.bin"
      efiLoader    = "${arg.bootInputs}/BOOTX64.EFI"
    }

    # The last console= is /dev/console: the serial port, where a test
    # harness (and a headless machine's operator) reads the boot.
    kernelParams = ["console=tty0", "console=ttyS0,115200n8", "panic=5", "lab.role=installer"]

    # The cd-dvd base waits 10 seconds; the lab boots after one.
    loader {
      timeout = mkForce(1)
    }
  }
}
