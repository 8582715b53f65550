imports = ["./extra.hcl.json"]

option "networking.hostName" {
  type    = str
  default = "nixos"
}

option "networking.ports" {
  type    = listOf(port)
  default = []
}

config {
  networking {
    hostName = "host"
    ports    = [22]
  }
}
