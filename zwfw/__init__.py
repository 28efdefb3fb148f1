"""zwfw (政务服务): an open-source government service platform."""
