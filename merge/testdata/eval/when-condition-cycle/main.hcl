option "a" {
  type    = bool
  default = false
}

option "b" {
  type    = int
  default = 0
}

config {
  when = config.a
  a    = true
  b    = 1
}
