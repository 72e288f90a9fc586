// WIBLGeoJSON module: see README.
