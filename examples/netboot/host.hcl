# A diskless lab machine booted over the network: the netboot base, the
# kernel and initrd from the folder build.sh prepared (passed as
# --arg bootInputs=DIR), and a serial console.
imports = ["<profiles/netboot.hcl>"]

config {
  networking {
    hostName = "lab-netboot"
  }

  boot {
    files {
      kernel = "${arg.bootInputs}/vmlinuz"
      initrd = "${arg.bootInputs}/initrd.img"
    }
    # The last console= is /dev/console: the serial port.
    kernelParams = ["console=tty0", "console=ttyS0,115200n8", "panic=5", "lab.role=netboot"]
  }
}
