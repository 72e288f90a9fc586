import WIBLFormat

extension Processor {
    /// §11: the AFTER_TIME_INTERP algorithms, in the file's order.
    ///
    /// - Throws: ``ProcessingError/noData(algorithm:)`` when an algorithm leaves nothing (P10).
    mutating func applyAlgorithms(
        _ depth: DepthSeries, _ algorithms: [AlgorithmRequest], _ parameters: [[AlgorithmParameter]]
    ) throws(ProcessingError) -> DepthSeries {
        var depth = depth
        for (request, parsed) in zip(algorithms, parameters) where request.name == "deduplicate" {
            let (kept, comment) = Deduplicate.run(depth)
            guard kept.count > 0 else { throw .noData(algorithm: request.name) }  // P10
            depth = kept
            record(request.name, parsed, comment)
        }
        return depth
    }

    /// P4: non-finite soundings never reach the output; a warning counts them.
    ///
    /// - Throws: ``ProcessingError/noData(algorithm:)`` when none is left.
    mutating func droppingNonFinite(_ depth: DepthSeries) throws(ProcessingError) -> DepthSeries {
        var depth = depth
        var dropped = 0
        if !(depth.t.allSatisfy(\.isFinite) && depth.lat.allSatisfy(\.isFinite) && depth.lon.allSatisfy(\.isFinite)
            && depth.z.allSatisfy(\.isFinite))
        {
            var finite = DepthSeries()
            for n in 0..<depth.count {
                if depth.t[n].isFinite, depth.lat[n].isFinite, depth.lon[n].isFinite, depth.z[n].isFinite {
                    finite.t.append(depth.t[n])
                    finite.lat.append(depth.lat[n])
                    finite.lon.append(depth.lon[n])
                    finite.z.append(depth.z[n])
                } else {
                    dropped += 1
                }
            }
            depth = finite
            warnings.append(.nonFiniteSoundings(count: dropped))
            guard depth.count > 0 else { throw .noData(algorithm: nil) }
        }

        return depth
    }

    /// D7: the logger and ship names, in the firmware's order, recognised through the Setup packet.
    mutating func resolveNames(_ metadata: Metadata?, setups: [TextPayload]) -> (logger: String?, platform: String?) {
        var loggerName = metadata?.loggerName
        var platformName = metadata?.shipName
        if let m = metadata, m.loggerName != m.shipName,
            setups.contains(where: { setup in
                guard let names = Self.setupNames(setup) else { return false }
                return names.uniqueID == m.shipName && names.shipName == m.loggerName
            })
        {
            loggerName = m.shipName
            platformName = m.loggerName
            warnings.append(.metadataSwapped(uniqueID: m.shipName, shipName: m.loggerName))
        }

        return (loggerName, platformName)
    }

    /// Observation and fault counts per packet type and sentence name, and one warning per fault kind.
    mutating func statistics() -> [NameStatistics] {
        var typeStatistics: [NameStatistics] = []
        for (rawValue, count) in typeCounts.enumerated() {
            guard let count, let type = PacketType(rawValue: UInt32(rawValue)) else { continue }
            var entry = NameStatistics(name: type.name)
            entry.observed = count
            typeStatistics.append(entry)
        }
        let statistics = typeStatistics + sentenceCounts.entries(name: Self.name(of:))
        for entry in statistics {
            for kind in FaultKind.allCases {
                if let count = entry.faults[kind], count > 0 {
                    warnings.append(.faults(name: entry.name, kind: kind, count: count))
                }
            }
        }
        return statistics
    }
}
