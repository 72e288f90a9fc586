// DCDB module: see README.
