// WIBLTestSupport module: see README.
