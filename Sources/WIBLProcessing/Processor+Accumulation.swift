import WIBLFormat

extension Processor {
    /// §8: the second pass over the packets, in file order, skipping what is not in the census
    /// (sentences whose name bytes are not UTF-8, packets `nodatareject` removed): unwrapping the
    /// elapsed-time counter and gathering each observation into its column. Faults are counted, not
    /// thrown. `fixed` holds the census entries stored without an elapsed time, after §6.
    ///
    /// - Throws: ``ProcessingError/elapsedWidthMismatch(packetIndex:elapsed:width:)``.
    mutating func accumulate(
        _ replay: some IteratorProtocol<Packet>, fixed: [FixedElapsed], censusCount: Int, filtered: Bool,
        source: TimeSource
    ) throws(ProcessingError) -> SeriesColumns {
        var replay = replay
        var c = SeriesColumns()
        c.reserve(censusCount / 3)
        let quantum = configuration.elapsedTimeQuantum
        let timeType = source.sentenceType
        let today = NoDataReject.today(options.nowMicroseconds)
        var offset = 0.0
        var last = 0.0
        var n = 0
        var fixedCursor = 0
        while let packet = replay.next() {
            let type = packet.type
            if type == .serialString {
                guard case .serialString(let sentence) = packet else { continue }
                let (key, isValidName) = sentence.data.withUnsafeReadableBytes { raw in
                    (Self.sentenceKey(raw), Self.isValidName(raw))
                }
                guard isValidName else { continue }  // not in the census (counted by the first pass)
                let index = n
                n += 1
                var e = Double(sentence.elapsed)
                if fixedCursor < fixed.count, fixed[fixedCursor].n == index {
                    e = fixed[fixedCursor].value
                    fixedCursor += 1
                }
                sentenceCounts.observe(key)
                guard e != 0 else { continue }
                if Double(sentence.elapsed) >= quantum {
                    throw .elapsedWidthMismatch(
                        packetIndex: index, elapsed: sentence.elapsed, width: configuration.elapsedTimeWidth)
                }
                // The byte-level work is a static function: no exclusivity checks on `self` inside.
                let outcome = sentence.data.withUnsafeReadableBytes { text in
                    Self.evaluate(text, timeType: timeType, checkLength: true)
                }
                if e < last { offset += quantum }
                last = e
                let x = e + offset
                switch outcome {
                case .fault(let kind):
                    fault(kind, key)
                case .observation(.time(let micro)):
                    c.timeX.append(x)
                    c.timeRef.append(Double(micro) / 1e6)
                case .observation(.position(let lat, let lon)):
                    c.positionX.append(x)
                    c.latitudes.append(lat)
                    c.longitudes.append(lon)
                case .observation(.depth(let z)):
                    c.depthX.append(x)
                    c.depths.append(z)
                case .observation(.heading(let h)):
                    c.headingX.append(x)
                    c.headings.append(h)
                case .observation(.waterTemperature(let temperature)):
                    c.temperatureX.append(x)
                    c.temperatures.append(temperature)
                case .observation(.wind(let direction, let speed)):
                    c.windX.append(x)
                    c.windDirections.append(direction)
                    c.windSpeeds.append(speed)
                case .observation(.nothing):
                    break
                }
                continue
            }
            if filtered, NoDataReject.removes(packet, today: today) { continue }
            let index = n
            n += 1
            let stored = packet.elapsed
            var e = Double(stored)
            if fixedCursor < fixed.count, fixed[fixedCursor].n == index {
                e = fixed[fixedCursor].value
                fixedCursor += 1
            }
            typeCounts[Int(type.rawValue), default: 0] += 1
            switch type {
            case .serialiserVersion, .metadata, .jsonMetadata, .setup:
                switch packet {
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
            if Double(stored) >= quantum {
                throw .elapsedWidthMismatch(packetIndex: index, elapsed: stored, width: configuration.elapsedTimeWidth)
            }
            if e < last { offset += quantum }
            last = e
            let x = e + offset
            switch packet {
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
