option "fs" {
  type    = attrsOf(submodule)
  default = {}
  option "device" { type = str }
}

config {
  fs "/a" { device = config.fs["/b"].device }
  fs "/b" { device = config.fs["/a"].device }
}
