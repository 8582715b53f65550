# Declarations of user accounts, console login, sudo, polkit, sshd and
# documentation, named as NixOS names them (config/users-groups.nix,
# services/ttys/getty.nix, security/sudo.nix, security/polkit.nix,
# services/networking/ssh/sshd.nix, misc/documentation.nix).
#
# NixOS derives a normal user's home, group and createHome from
# isNormalUser in the submodule's config section; here those rules are the
# attributes' defaults.

option "users.users" {
  type        = attrsOf(submodule)
  default     = {}
  description = "The user accounts, keyed by user name."
  example = {
    alice = {
      isNormalUser = true
      extraGroups  = ["wheel"]
      openssh      = { authorizedKeys = { keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... alice@laptop"] } }
    }
  }

  option "name" {
    type        = strMatching("[a-z_][a-z0-9_.-]*[$]?")
    default     = name
    defaultText = "the attribute name"
    description = "The name of the account."
  }

  option "uid" {
    type        = nullOr(int)
    default     = null
    description = "The account's user ID, or null to have one allocated when the account is created."
  }

  option "description" {
    type        = str
    default     = ""
    description = "A short description of the account, typically the user's full name (the GECOS field of /etc/passwd)."
    example     = "Alice Q. User"
  }

  option "isNormalUser" {
    type        = bool
    default     = false
    description = "Whether this is a real user's account: its home defaults to /home/<name> and is created, its group to \"users\", and it gets a normal user ID and the default shell."
  }

  option "isSystemUser" {
    type        = bool
    default     = false
    description = "Whether this is a system account, given a user ID below 1000."
  }

  option "group" {
    type        = str
    default     = (self.isNormalUser ? "users" : "")
    defaultText = "\"users\" for a normal user, otherwise \"\""
    description = "The account's primary group."
  }

  option "extraGroups" {
    type        = listOf(str)
    default     = []
    description = "The account's supplementary groups."
    example     = ["wheel", "networkmanager"]
  }

  option "home" {
    type        = str
    default     = (self.isNormalUser ? format("/home/%s", self.name) : "/var/empty")
    defaultText = "\"/home/<name>\" for a normal user, otherwise \"/var/empty\""
    description = "The account's home directory."
  }

  option "createHome" {
    type        = bool
    default     = self.isNormalUser
    defaultText = "isNormalUser"
    description = "Whether to create the home directory when it does not exist."
  }

  option "hashedPassword" {
    type        = nullOr(str)
    default     = null
    description = "The hash of the account's password, as mkpasswd prints it; it replaces the password at every activation. The empty string allows logging in with no password; \"!\" locks the password."
  }

  option "initialHashedPassword" {
    type        = nullOr(str)
    default     = null
    description = "The hash of the password the account gets when it is created; later changes with passwd are kept. The empty string allows logging in with no password."
  }

  option "password" {
    type        = nullOr(str)
    default     = null
    description = "The account's password in clear text, stored world-readable. Prefer hashedPassword."
  }

  option "initialPassword" {
    type        = nullOr(str)
    default     = null
    description = "The clear-text password the account gets when it is created, stored world-readable. Prefer initialHashedPassword."
  }

  option "openssh.authorizedKeys.keys" {
    type        = listOf(singleLineStr)
    default     = []
    description = "The public keys that may log in to this account over SSH."
  }
}

option "services.getty.autologinUser" {
  type        = nullOr(str)
  default     = null
  description = "The user logged in automatically on the virtual consoles, or null to ask for a login."
  example     = "nixos"
}

option "services.openssh.enable" {
  type        = bool
  default     = false
  description = "Whether to run the OpenSSH daemon."
}

option "services.openssh.settings.PermitRootLogin" {
  type        = enum(["yes", "without-password", "prohibit-password", "forced-commands-only", "no"])
  default     = "prohibit-password"
  description = "Whether root may log in over SSH, and how (PermitRootLogin of sshd_config(5))."
}

option "security.sudo.enable" {
  type        = bool
  default     = true
  description = "Whether to install sudo, which lets permitted users run commands as root."
}

option "security.sudo.wheelNeedsPassword" {
  type        = bool
  default     = true
  description = "Whether members of the wheel group must type their password to use sudo."
}

option "security.polkit.enable" {
  type        = bool
  default     = false
  description = "Whether to run polkit, which lets unprivileged sessions reboot or power off the machine."
}

option "documentation.enable" {
  type        = bool
  default     = true
  description = "Whether to install documentation of the installed software, where it comes with some."
}

option "documentation.nixos.enable" {
  type        = bool
  default     = true
  description = "Whether to install the system's own manual and option reference."
}

config {
  # The superuser always exists (users-groups.nix); its password and keys are
  # the configuration's to give.
  users {
    users "root" {
      uid         = 0
      description = "System administrator"
      home        = "/root"
      group       = "root"
    }
  }
}
