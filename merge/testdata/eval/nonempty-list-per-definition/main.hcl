option "dns" {
  type    = nonEmptyListOf(str)
  default = ["1.1.1.1"]
}

config {
  dns = ["9.9.9.9"]
}

config {
  dns = []
}
