import ArgumentParser
import NIOCore
import WIBLBundle
import WIBLConversion
import WIBLGeoJSON
import WIBLPlot
import WIBLProcessing
import WIBLSystem

/// `wibl plot`: a picture (SVG) of one or more tracks, coloured by depth.
struct PlotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw tracks (GeoJSON outputs or .wibl logger files) as an SVG map coloured by depth.",
        discussion: """
            Soundings are coloured by depth on the viridis scale (shallow yellow, deep purple), with a \
            legend in metres, a scale bar, a north arrow, and a title with the vessel ids, the time span \
            and the number of soundings. The projection is equirectangular with longitude scaled by \
            cos(latitude) at the map centre. Points are thinned to a grid of 2-pixel cells (mean depth \
            per cell), so any size of input gives a picture of bounded size. .wibl files are converted \
            with the processing configuration (--config, WIBL_CONFIG_FILE or the built-in default). \
            Nothing is written unless every input could be read.
            """
    )

    @Argument(help: "GeoJSON files (.geojson, .json), logger files (.wibl) or logger bundles (.tgz) to draw.")
    var files: [String]

    @Option(name: .shortAndLong, help: "The SVG file to write.")
    var output: String

    @Option(name: .long, help: "Processing configuration for .wibl inputs (JSON).")
    var config: String?

    @Option(name: .long, help: "Picture width in pixels (default 900).")
    var width = 900

    @Option(name: .long, help: "Picture height in pixels (default 700).")
    var height = 700

    func validate() throws {
        guard (300...10_000).contains(width), (240...10_000).contains(height) else {
            throw ValidationError("--width must be 300…10000 and --height 240…10000 pixels.")
        }
    }

    func run() async throws {
        let configuration: ProcessingConfiguration
        do {
            configuration = try ConfigurationLoader.load(config ?? Environment.nonEmpty("WIBL_CONFIG_FILE"))
        } catch {
            writeStandardError("Error: \(error)\n")
            throw WIBLExitCode.configuration
        }
        var options = PlotOptions()
        options.width = width
        options.height = height
        var plot = TrackPlot(options: options)
        for path in files {
            let bytes: ByteBuffer
            do {
                bytes = try ByteBuffer(contentsOfFile: path)
            } catch {
                writeStandardError("Error: \(error)\n")
                throw WIBLExitCode.ioError
            }
            guard LoggerBundle.isBundleName(path) else {
                try add(bytes, source: path, configuration: configuration, to: &plot)
                continue
            }
            // A bundle: one member in memory at a time, each thinned as it is added.
            let bundle: LoggerBundle
            do {
                bundle = try LoggerBundle(compressed: Array(bytes.readableBytesView), limits: BundleInput.limits)
            } catch {
                writeStandardError("Error: \(path): \(error)\n")
                throw WIBLExitCode.notWIBL
            }
            var failure: ExitCode?
            let (warnings, error) = BundleInput.forEachWIBLMember(bundle, path: path) { source, data in
                do {
                    try add(data, source: source, configuration: configuration, to: &plot)
                    return true
                } catch {
                    failure = error as? ExitCode ?? WIBLExitCode.notWIBL
                    return false
                }
            }
            for warning in warnings { writeStandardError("warning: \(path): \(warning)\n") }
            if let failure { throw failure }
            if let error {
                writeStandardError("Error: \(path): \(error)\n")
                throw WIBLExitCode.notWIBL
            }
        }
        let svg = plot.svg()
        do {
            try AtomicFile.write(to: output) { sink in try sink.write(Array(svg.utf8)) }
        } catch {
            writeStandardError("Error: \(error)\n")
            throw WIBLExitCode.ioError
        }
        if plot.soundingCount == 0 { writeStandardError("warning: no soundings to plot; the picture says so.\n") }
        if plot.ignoredCount > 0 {
            writeStandardError(
                "warning: \(plot.ignoredCount) sounding(s) with a non-finite position or depth left out.\n")
        }
        print("Wrote \(output): \(plot.soundingCount) soundings from \(files.count) file(s).")
    }

    /// Reads one file's (or member's) soundings and adds them to the plot.
    ///
    /// - Throws: the exit code for the failure, after printing it.
    func add(
        _ bytes: ByteBuffer, source: String, configuration: ProcessingConfiguration, to plot: inout TrackPlot
    ) throws {
        let track: LoadedTrack
        do {
            track = try TrackSource.load(bytes, source: source, configuration: configuration)
        } catch let error as TrackLoadError {
            writeStandardError("Error: \(error)\n")
            if case .processing = error { throw WIBLExitCode.processingRefused }
            throw WIBLExitCode.notWIBL
        }
        plot.add(
            vesselID: track.vesselID, longitudes: track.longitudes, latitudes: track.latitudes, depths: track.depths,
            times: track.times)
    }
}
