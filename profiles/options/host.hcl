# Declarations of settings that host configurations commonly make next to
# a base (a GRUB or systemd-boot install, networking, the firewall, time
# zone and locale, sshd's settings), with NixOS's names, types and defaults
# (system/boot/loader/grub/grub.nix, loader/systemd-boot, loader/efi.nix,
# system/boot/kernel.nix, tasks/network-interfaces.nix,
# services/networking/firewall.nix, config/locale.nix, config/i18n.nix,
# config/console.nix, services/networking/ssh/sshd.nix, misc/version.nix).
# The bases define none of them; they are declared so that a host written
# for NixOS evaluates with a base.

option "boot.loader.grub.device" {
  type        = str
  default     = ""
  description = "The disk GRUB is installed on (its boot sector), such as /dev/sda; \"nodev\" installs no boot sector. An image base turns GRUB off, so this is then unused."
  example     = "/dev/disk/by-id/wwn-0x500001234567890a"
}

option "boot.loader.grub.devices" {
  type        = listOf(str)
  default     = []
  description = "The disks GRUB is installed on, for a system that boots from several."
  example     = ["/dev/sda", "/dev/sdb"]
}

option "boot.loader.grub.efiSupport" {
  type        = bool
  default     = false
  description = "Whether GRUB is installed as an EFI application as well."
}

option "boot.loader.grub.efiInstallAsRemovable" {
  type        = bool
  default     = false
  description = "Whether GRUB's EFI application goes to the removable-media path (EFI/BOOT/BOOTX64.EFI) instead of being registered in NVRAM."
}

option "boot.loader.grub.useOSProber" {
  type        = bool
  default     = false
  description = "Whether GRUB's menu lists the other operating systems found on the machine."
}

option "boot.loader.systemd-boot.enable" {
  type        = bool
  default     = false
  description = "Whether to install systemd-boot as the EFI boot loader."
}

option "boot.loader.efi.canTouchEfiVariables" {
  type        = bool
  default     = false
  description = "Whether installing the boot loader may change the machine's EFI variables (its boot entries)."
}

option "boot.loader.efi.efiSysMountPoint" {
  type        = str
  default     = "/boot"
  description = "Where the EFI system partition is mounted."
  example     = "/boot/efi"
}

option "boot.kernelModules" {
  type        = listOf(str)
  default     = []
  description = "Kernel modules loaded in stage 2 of the boot."
  example     = ["kvm-intel"]
}

option "boot.blacklistedKernelModules" {
  type        = listOf(str)
  default     = []
  description = "Kernel modules that are never loaded automatically."
  example     = ["cirrusfb", "i2c_piix4"]
}

option "networking.domain" {
  type        = nullOr(str)
  default     = null
  description = "The domain of the machine; with the host name it makes the fully qualified name."
  example     = "home.arpa"
}

option "networking.hostId" {
  type        = nullOr(str)
  default     = null
  description = "The 32-bit host ID of the machine, as 8 hexadecimal digits; ZFS needs one."
  example     = "4e98920d"
}

option "networking.useDHCP" {
  type        = bool
  default     = true
  description = "Whether every Ethernet and wireless interface gets its address by DHCP."
}

option "networking.networkmanager.enable" {
  type        = bool
  default     = false
  description = "Whether to run NetworkManager, which manages the network connections (users of the networkmanager group may change them)."
}

option "networking.firewall.enable" {
  type        = bool
  default     = true
  description = "Whether to run the packet filter that refuses connections from outside except on the allowed ports."
}

option "networking.firewall.allowedTCPPorts" {
  type        = listOf(port)
  default     = []
  description = "The TCP ports open to incoming connections."
  example     = [22, 80]
}

option "networking.firewall.allowedUDPPorts" {
  type        = listOf(port)
  default     = []
  description = "The UDP ports open to incoming packets."
  example     = [53]
}

option "time.timeZone" {
  type        = nullOr(str)
  default     = null
  description = "The time zone of the system clock, from the IANA database; null leaves it to be set at run time."
  example     = "Europe/Paris"
}

option "i18n.defaultLocale" {
  type        = str
  default     = "en_US.UTF-8"
  description = "The locale of the system's messages, formats and character set."
  example     = "de_DE.UTF-8"
}

option "console.keyMap" {
  type        = str
  default     = "us"
  description = "The keyboard layout of the virtual consoles."
  example     = "fr"
}

option "services.xserver.enable" {
  type        = bool
  default     = false
  description = "Whether to run the X server (a graphical session)."
}

option "services.openssh.ports" {
  type        = listOf(port)
  default     = [22]
  description = "The ports sshd listens on."
}

option "services.openssh.openFirewall" {
  type        = bool
  default     = true
  description = "Whether the firewall opens sshd's ports."
}

option "services.openssh.settings.PasswordAuthentication" {
  type        = bool
  default     = true
  description = "Whether sshd accepts passwords (PasswordAuthentication of sshd_config(5))."
}

option "services.openssh.settings.KbdInteractiveAuthentication" {
  type        = bool
  default     = true
  description = "Whether sshd accepts keyboard-interactive authentication (KbdInteractiveAuthentication of sshd_config(5))."
}

option "users.mutableUsers" {
  type        = bool
  default     = true
  description = "Whether accounts and passwords may be changed on the running system (useradd, passwd); when false, users.users is all there is."
}

option "system.stateVersion" {
  type        = str
  default     = config.system.nixos.release
  defaultText = "system.nixos.release"
  description = "The release whose defaults this system's stateful data (databases, home layouts) was first made with. Set it once, at installation, and keep it."
  example     = "24.11"
}
