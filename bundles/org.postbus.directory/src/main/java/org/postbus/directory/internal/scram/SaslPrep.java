package org.postbus.directory.internal.scram;

import java.text.Normalizer;

/**
 * SASLprep (RFC 4013), the stringprep profile (RFC 3454) SCRAM applies to passwords and user
 * names before hashing them, so that a password typed on two keyboards hashes the same.
 *
 * <p>Normalisation is the JDK's NFKC, whose Unicode version is newer than the 3.2 of RFC 3454:
 * the two agree for all characters assigned in 3.2, which covers every password seen in
 * practice. Unassigned code points are allowed, as RFC 4013 allows them in queries; both ends of
 * an exchange then prepare them alike.
 */
public final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * Prepares {@code text}.
     *
     * @throws IllegalArgumentException if it holds a prohibited character or breaks the
     *     bidirectional rules; the message names the code point, never the text
     */
    public static String prepare(CharSequence text) {
        StringBuilder mapped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                throw new IllegalArgumentException("unpaired surrogate");
            }
            // U+200B is in both tables; like other implementations, it maps to nothing.
            if (isMappedToNothing(cp)) {
                continue;
            }
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else {
                mapped.appendCodePoint(cp);
            }
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        boolean randAl = false;
        boolean leftToRight = false;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (isProhibited(cp)) {
                throw new IllegalArgumentException(String.format("prohibited character U+%04X", cp));
            }
            byte direction = Character.getDirectionality(cp);
            randAl |= direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
            leftToRight |= direction == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (randAl) {
            // RFC 3454 section 6: right-to-left text must not mix in left-to-right characters
            // and must begin and end with a right-to-left one.
            if (leftToRight || !isRandAl(normalized.codePointAt(0))
                    || !isRandAl(normalized.codePointBefore(normalized.length()))) {
                throw new IllegalArgumentException("mixes right-to-left and left-to-right text");
            }
        }
        return normalized;
    }

    private static boolean isRandAl(int cp) {
        byte direction = Character.getDirectionality(cp);
        return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** RFC 3454 table C.1.2. */
    static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** RFC 3454 table B.1. */
    static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    /** RFC 4013 section 2.3: tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9. */
    static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
                // C.2.1 and C.2.2: control characters
                || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x06DD || cp == 0x070F
                || cp == 0x180E || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFC) || (cp >= 0x1D173 && cp <= 0x1D17A)
                // C.3: private use
                || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)
                || (cp >= 0x100000 && cp <= 0x10FFFD)
                // C.4: non-characters
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
                // C.5: surrogates
                || (cp >= 0xD800 && cp <= 0xDFFF)
                // C.6, C.7, C.8
                || (cp >= 0xFFF9 && cp <= 0xFFFD) || (cp >= 0x2FF0 && cp <= 0x2FFB) || cp == 0x0340 || cp == 0x0341
                || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                // C.9: tagging
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
    }
}
