// Package ocr reads the text of a photographed menu with tesseract, so a
// room can be created from a menu printed in a script the user cannot
// type. It runs the tesseract command (the server is built without cgo)
// and returns the text line by line with tesseract's confidence.
//
//	tess, err := ocr.New(ocr.Config{})   // fails only on a nonsensical Config
//	if !tess.Available() { log(tess.Err()) } // capabilities: tess.Languages()
//	res, err := tess.Scan(ctx, body, contentType, ocr.Hint{Lang: "ko"})
//
// # Pipeline
//
// Scan reads at most MaxBytes (8 MiB), checks the declared content type
// against the sniffed bytes (JPEG, PNG, WebP), and reads only the image
// header to refuse more than MaxPixels (50 MP) before any pixel buffer
// exists: a 60000×60000 PNG bomb is refused in microseconds with a few KB
// allocated. Then it waits for one of MaxConcurrent slots (default: the
// CPUs Go may use; QueueSize more may wait, QueueTimeout long, the rest
// get ErrBusy at once), and within ScanTimeout: decodes, converts to
// grey, scales the long side into 1600–3000 px, applies the JPEG's EXIF
// orientation (parsed by hand from the APP1 segment, exif.go), levels a
// skewed page, erases dotted leaders, and pipes an uncompressed PNG to
// tesseract (one process a pass, OMP_THREAD_LIMIT=1, killed with its
// process group on timeout or cancel). tesseract writes its text (which
// has the right word spacing for every script) and its TSV (word
// confidences) to a temporary directory; the two are zipped into Lines.
//
// # Decisions, measured
//
// Figures from the rendered fixtures (recognition_test.go) on the shared
// 2-core box, tesseract 5.3.0 with Debian's language data:
//
//   - OpenMP off (OMP_THREAD_LIMIT=1): one Korean scan took 0.5 s of CPU
//     single-threaded and 3.0 s with tesseract's default threads, which
//     spin; concurrency comes from the slots instead.
//   - Dotted leaders erased (leaders.go): with them, kor read the 12
//     Korean dish names but 3 of 12 prices, amid runs of "이 2 2 0"
//     ("냉면 ... 2 222 이이이이 2 2 0. 10 000원"; at the fixture's own
//     1100 px it also lost 2 whole lines); without them, 12 and 12 and
//     clean lines ("냉면\t10,000원").
//   - Deskew (deskew.go): the Korean menu turned 2.5° gave 3 of 12 names
//     in psm 6; levelled first, 12 of 12.
//   - Page segmentation psm 6 (one uniform block): psm 3 found 0 of 12
//     Korean names (it cut the page into vertical slivers), psm 11 (sparse
//     text) put dish and price on separate lines, psm 4 read like psm 6.
//     A two-column menu comes out as one line per row with both columns,
//     the wide gaps as tabs: "비빔밥\t12,000원 삼계탕\t16,000원".
//   - One model per language, not all seven: all seven at once took 3–4×
//     as long (0.5–0.9 s against 0.2 s a fixture) and found 40% of the
//     simplified Chinese names and 80% of the traditional ones. ko → kor,
//     ja → jpn, zh-Hans → chi_sim, zh-Hant → chi_tra, th → tha+eng,
//     vi → vie, en → eng. Adding eng hurt jpn (100% → 91% of names),
//     chi_sim (100% → 80%) and kor (it read "원" as "2": "11,0002", a
//     wrong price, in 3 of 5 Korean fixtures); kor alone reads English
//     words as nothing, which is the price of correct prices.
//   - Without a hint, tesseract's OSD (--psm 0, 0.2 s) names the script:
//     Korean, Thai and Latin map to kor, tha and vie+eng (the result is
//     labelled vi when Vietnamese letters appear, else en). OSD called the
//     traditional Chinese fixture "Japanese" and the simplified one
//     "Han", so for those: jpn first if OSD said Japanese, kept when the
//     text has kana; else chi_sim, kept at mean confidence ≥ 0.70 (0.82 on
//     simplified, 0.59 on traditional); else chi_tra too, the more
//     confident wins. chi_tra is not tried first because it reads
//     simplified text confidently (0.88) but in traditional characters.
//     All seven clean fixtures were detected right; a scan without a hint
//     took 0.45–0.55 s (OSD + one pass), traditional Chinese 0.9 s.
//
// # Recognition (hinted; share of dish names, share of prices)
//
//	korean               100%  100%   clean, dotted leaders
//	japanese             100%  100%
//	chinese-simplified   100%  100%
//	chinese-traditional   90%  100%   蚵仔煎 misread
//	thai                  70%  100%   tha reads ้ over ต/ส as ั/ิ (ต้ม → ตัม)
//	vietnamese           100%  100%
//	english (WebP)       100%  100%
//	korean-two-column    100%  100%
//	korean-rotated 2.5°  100%  100%
//	korean-noisy JPEG    100%  100%   σ≈24 noise, quality 30
//	korean-exif6         100%  100%   stored turned, EXIF orientation 6
//
// Time per scan (BenchmarkScanKorean, hint "ko"): 0.2–0.3 s for the
// 1100×964 fixture, 0.7 s for a 12-megapixel phone JPEG (0.33 s of it
// decoding and preparing in Go, 120 MB allocated).
//
// # Not done
//
// No orientation fix for photos turned 90° or 180° without an EXIF tag
// (OSD reports it, but with low confidence on Korean); no EXIF in WebP
// or PNG; leaders of dashes or middle dots are left to tesseract; no
// column splitting (the text keeps wide gaps as tabs for the parser).
package ocr
