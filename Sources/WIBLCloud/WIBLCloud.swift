// WIBLCloud module: see README.
