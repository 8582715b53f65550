# Declarations of the system's identity and basic networking, named as
# NixOS names them (misc/version.nix, tasks/network-interfaces.nix,
# services/networking/wpa_supplicant.nix).

option "system.nixos.distroName" {
  type        = str
  default     = "NixOS"
  description = "The name of the distribution, shown in boot menu labels."
}

option "system.nixos.distroId" {
  type        = str
  default     = "nixos"
  description = "The short, lower-case identifier of the distribution; it starts the default ISO volume ID."
}

option "system.nixos.release" {
  type        = str
  default     = "26.11"
  description = "The release of the system, YY.MM; part of the default ISO volume ID and of the boot menu label."
}

option "system.nixos.label" {
  type        = strMatching("[a-zA-Z0-9:_\\.-]*")
  default     = config.system.nixos.release
  defaultText = "system.nixos.release"
  description = "The label of this system, shown in boot menu entries and written to /version.txt of an ISO image."
  example     = "26.11-pre"
}

option "system.nixos.variant_id" {
  type        = nullOr(strMatching("[a-z0-9._-]+"))
  default     = null
  description = "A lower-case identifier of this variant of the system (VARIANT_ID of os-release), such as \"installer\"."
  example     = "installer"
}

option "networking.hostName" {
  type        = strMatching("^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$")
  default     = "nixos"
  description = "The host name of the machine. The empty string takes the name from DHCP."
  example     = "demo"
}

option "networking.wireless.enable" {
  type        = bool
  default     = false
  description = "Whether to run wpa_supplicant for wireless networking."
}

option "networking.wireless.userControlled.enable" {
  type        = bool
  default     = false
  description = "Whether members of the wheel group may configure wireless networks through wpa_cli or wpa_gui."
}
