// AWSSigV4 module: see README.
