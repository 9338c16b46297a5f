package io.collectivekv.data;

/** One non-blank line of a data file or stream, with what is needed to report a problem in it. */
record Line(String source, int number, String text) {

    DataFormatException malformed(String problem) {
        return new DataFormatException(source, number, problem);
    }
}
