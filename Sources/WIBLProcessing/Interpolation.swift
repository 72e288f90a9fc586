/// Linear interpolation exactly as `numpy.interp` with default arguments (`processing.md` §9),
/// including numpy's search-with-guess for the sample index, so results match bit for bit even
/// for sample points that are not sorted.
public enum Interpolation {
    /// Interpolates `fp` (sampled at `xp`, table order) at every `x`.
    ///
    /// - Precondition: `xp` and `fp` have the same, non-zero count (callers check emptiness: P5, P6).
    public static func interp(_ x: [Double], _ xp: [Double], _ fp: [Double]) -> [Double] {
        precondition(!xp.isEmpty && xp.count == fp.count, "interpolation needs matching, non-empty samples")
        let n = xp.count
        if n == 1 {
            // numpy: x < xp → left (= fp[0]); x > xp → right (= fp[0]); otherwise fp[0].
            return [Double](repeating: fp[0], count: x.count)
        }
        var result = [Double](repeating: 0, count: x.count)
        xp.withUnsafeBufferPointer { xp in
            fp.withUnsafeBufferPointer { fp in
                var j = 0
                for i in 0..<x.count {
                    let value = x[i]
                    if value.isNaN {
                        result[i] = value
                        continue
                    }
                    j = searchWithGuess(value, xp, guess: j)
                    if j == -1 {
                        result[i] = fp[0]
                    } else if j == n {
                        result[i] = fp[n - 1]
                    } else if j == n - 1 || xp[j] == value {
                        result[i] = fp[j]
                    } else {
                        let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
                        var r = slope * (value - xp[j])
                        r = r + fp[j]
                        if r.isNaN {
                            r = slope * (value - xp[j + 1])
                            r = r + fp[j + 1]
                            if r.isNaN, fp[j] == fp[j + 1] { r = fp[j] }
                        }
                        result[i] = r
                    }
                }
            }
        }
        return result
    }

    /// numpy's `binary_search_with_guess` (`numpy/core/src/multiarray/compiled_base.c`): −1 below
    /// the first sample, `count` above the last, otherwise an index with `xp[j] ≤ key`.
    static func searchWithGuess(_ key: Double, _ arr: UnsafeBufferPointer<Double>, guess start: Int) -> Int {
        let len = arr.count
        let likelyInCache = 8
        var imin = 0
        var imax = len
        if key > arr[len - 1] { return len }
        if key < arr[0] { return -1 }
        if len <= 4 {
            var i = 1
            while i < len && key >= arr[i] { i += 1 }
            return i - 1
        }
        var guess = start
        if guess > len - 3 { guess = len - 3 }
        if guess < 1 { guess = 1 }
        if key < arr[guess] {
            if key < arr[guess - 1] {
                imax = guess - 1
                if guess > likelyInCache && key >= arr[guess - likelyInCache] {
                    imin = guess - likelyInCache
                }
            } else {
                return guess - 1
            }
        } else {
            if key < arr[guess + 1] { return guess }
            if key < arr[guess + 2] { return guess + 1 }
            imin = guess + 2
            if guess < len - likelyInCache - 1 && key < arr[guess + likelyInCache] {
                imax = guess + likelyInCache
            }
        }
        while imin < imax {
            let imid = imin + ((imax - imin) >> 1)
            if key >= arr[imid] {
                imin = imid + 1
            } else {
                imax = imid
            }
        }
        return imin - 1
    }
}
