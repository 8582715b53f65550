option "fileSystems" {
  type = attrsOf(submodule)
  default = {}
  option "device" { type = str }
  option "label" {
    type = str
    default = "L-${self.device}"
  }
}
option "svc" {
  type = submodule
  default = {}
  option "a" { type = int }
  option "b" { type = int }
}
config {
  fileSystems "/" { device = "sda1" }
  fileSystems "/boot" { device = "${config.fileSystems["/"].device}-boot" }
  fileSystems "/x" { device = config.fileSystems["/boot"].label }
  svc { a = 1 }
  svc { b = config.svc.a + 1 }
}
