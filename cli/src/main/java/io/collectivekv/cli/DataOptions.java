package io.collectivekv.cli;

import io.collectivekv.data.DataFormat;
import io.collectivekv.data.SyntheticInteractions;
import io.collectivekv.data.UserSequences;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where interactions come from: a file in one of the supported formats, or the built-in generator. */
final class DataOptions {
    @Option(names = "--data", description = "interaction file (SASRec, S3-Rec, GroupLens u.data or user,item,timestamp CSV); "
            + "omit to use the built-in synthetic data set")
    Path file;

    @Option(names = "--format", description = "auto | sasrec | s3rec | grouplens | csv (default: ${DEFAULT-VALUE})")
    String format = "auto";

    @Option(names = "--min-item-count", description = "drop items with fewer interactions (default: ${DEFAULT-VALUE})")
    int minItemCount = 1;

    @Option(names = "--synthetic-users", description = "users of the synthetic data set (default: ${DEFAULT-VALUE})")
    int syntheticUsers = 2000;

    @Option(names = "--synthetic-items", description = "items of the synthetic data set (default: ${DEFAULT-VALUE})")
    int syntheticItems = 500;

    UserSequences read() {
        UserSequences data;
        if (file == null) {
            data = new SyntheticInteractions(syntheticUsers, syntheticItems, 10, 40, 1L).generate();
        } else {
            data = "auto".equals(format) ? DataFormat.read(file) : DataFormat.read(file, DataFormat.parse(format));
        }
        return minItemCount > 1 ? data.withoutRareItems(minItemCount) : data;
    }

    String describe() {
        return file == null ? "synthetic(" + syntheticUsers + " users, " + syntheticItems + " items)" : file.toString();
    }

    /** The data set's name in reports: the folder the file sits in ({@code ml-1m}, {@code beauty}, ...). */
    String datasetName() {
        if (file == null) {
            return "synthetic";
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        String name = file.getFileName().toString();
        return parent != null && parent.getFileName() != null ? parent.getFileName().toString() : name.replaceFirst("\\.[^.]*$", "");
    }
}
