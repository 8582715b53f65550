option "users" {
  type = attrsOf(submodule)
  default = {}
  option "name" {
    type = str
    default = name
  }
  option "home" {
    type = str
    default = "/home/${self.name}"
  }
  option "groups" {
    type = listOf(str)
    default = []
  }
}
option "p" {
  type = nullOr(submodule)
  default = null
  option "x" { type = int }
}
option "ne" {
  type = nonEmptyListOf(int)
  default = [1]
}
config {
  users "alice" {
    name = "al"
    groups = [name]
  }
  users "bob" {}
  p = { x = 3 }
}
