import WIBLFormat

extension Processor {
    /// §8: one pass over the packets in census order, unwrapping the elapsed-time counter and
    /// gathering each observation into its column. Faults are counted, not thrown.
    ///
    /// - Throws: ``ProcessingError/elapsedWidthMismatch(packetIndex:elapsed:width:)``.
    mutating func accumulate(
        _ packets: [Packet], _ census: [Int32], _ elapsed: [Double], source: TimeSource
    ) throws(ProcessingError) -> SeriesColumns {
        var c = SeriesColumns()
        c.reserve(census.count / 3)
        let quantum = configuration.elapsedTimeQuantum
        let timeType = source.sentenceType
        var offset = 0.0
        var last = 0.0
        for n in census.indices {
            let index = Int(census[n])
            let type = packets[index].type
            let e = elapsed[n]
            if type == .serialString {
                guard case .serialString(let sentence) = packets[index] else { continue }
                // The byte-level work is a static function: no exclusivity checks on `self` inside.
                let (key, outcome) = sentence.data.withUnsafeReadableBytes { text -> (NameKey, SentenceOutcome?) in
                    (Self.sentenceKey(text), e == 0 ? nil : Self.evaluate(text, timeType: timeType, checkLength: true))
                }
                sentenceCounts.observe(key)
                guard e != 0 else { continue }
                if Double(sentence.elapsed) >= quantum {
                    throw .elapsedWidthMismatch(
                        packetIndex: n, elapsed: sentence.elapsed, width: configuration.elapsedTimeWidth)
                }
                if e < last { offset += quantum }
                last = e
                let x = e + offset
                switch outcome {
                case .fault(let kind)?:
                    fault(kind, key)
                case .observation(.time(let micro))?:
                    c.timeX.append(x)
                    c.timeRef.append(Double(micro) / 1e6)
                case .observation(.position(let lat, let lon))?:
                    c.positionX.append(x)
                    c.latitudes.append(lat)
                    c.longitudes.append(lon)
                case .observation(.depth(let z))?:
                    c.depthX.append(x)
                    c.depths.append(z)
                case .observation(.heading(let h))?:
                    c.headingX.append(x)
                    c.headings.append(h)
                case .observation(.waterTemperature(let temperature))?:
                    c.temperatureX.append(x)
                    c.temperatures.append(temperature)
                case .observation(.wind(let direction, let speed))?:
                    c.windX.append(x)
                    c.windDirections.append(direction)
                    c.windSpeeds.append(speed)
                case .observation(.nothing)?, nil:
                    break
                }
                continue
            }
            typeCounts[Int(type.rawValue), default: 0] += 1
            switch type {
            case .serialiserVersion, .metadata, .jsonMetadata, .setup:
                switch packets[index] {
                case .serialiserVersion(let v):
                    c.loggerVersion = "\(v.major).\(v.minor)/\(v.nmea2000)/\(v.nmea0183)"
                case .metadata(let m):
                    c.metadata = m
                case .jsonMetadata(let text):
                    c.jsonMetadata = text
                case .setup(let text):
                    c.setups.append(text)
                default:
                    break
                }
            default:
                break
            }
            guard e != 0 else { continue }
            let stored = packets[index].elapsed
            if Double(stored) >= quantum {
                throw .elapsedWidthMismatch(packetIndex: n, elapsed: stored, width: configuration.elapsedTimeWidth)
            }
            if e < last { offset += quantum }
            last = e
            let x = e + offset
            switch type {
            case .systemTime, .depth, .gnss: break
            default: continue
            }
            switch packets[index] {
            case .systemTime(let p) where source == .systemTime:
                c.timeX.append(x)
                c.timeRef.append(Double(p.date) * 86_400.0 + p.timestamp)
            case .depth(let p):
                c.depthX.append(x)
                c.depths.append(p.depth)
            case .gnss(let p):
                if source == .gnss {
                    c.timeX.append(x)
                    c.timeRef.append(Double(p.msgDate) * 86_400.0 + p.msgTimestamp)
                }
                c.positionX.append(x)
                c.latitudes.append(p.latitude)
                c.longitudes.append(p.longitude)
            default:
                break
            }
        }
        return c
    }
}
