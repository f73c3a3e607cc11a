import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRef,
  PDFStream,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';
import { isAppError } from '../../lib/app-error.ts';
import { evidenceErrors } from './errors.ts';

export const MAX_PDF_PAGES = 10;
/** Together, a PDF's object streams may hold this much once inflated (real ones hold kilobytes). */
export const MAX_OBJECT_STREAM_BYTES = 32 * 1024 * 1024;

/**
 * pdf-lib inflates every object stream (`/Type /ObjStm`) entirely in memory while it loads a PDF, with no
 * limit: a compressed bomb of a few megabytes inflates to gigabytes. Each object stream is inflated here
 * first, within the budget, and the PDF refused when they hold more.
 */
function checkObjectStreams(input: Buffer): void {
  const text = input.toString('latin1');
  let budget = MAX_OBJECT_STREAM_BYTES;
  for (const match of text.matchAll(/\/Type\s*\/ObjStm\b/g)) {
    const start = text.indexOf('stream', match.index + match[0].length);
    if (start === -1 || start - match.index > 4096) continue;
    const dataStart = start + 'stream'.length + (text.startsWith('\r\n', start + 6) ? 2 : 1);
    const end = text.indexOf('endstream', dataStart);
    const data = input.subarray(dataStart, end === -1 ? input.length : end);
    let inflated: Buffer;
    try {
      inflated = inflateSync(data, {
        maxOutputLength: Math.max(budget, 1),
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch (error) {
      if (error instanceof RangeError) throw evidenceErrors.unreadable('pdf', error, TOO_COMPLEX);
      continue; // not deflate at all: pdf-lib will judge it
    }
    budget -= inflated.length;
    if (budget <= 0) throw evidenceErrors.unreadable('pdf', undefined, TOO_COMPLEX);
  }
}

const TOO_COMPLEX =
  'The PDF is too complex to check. Save or scan it again as a simple PDF, or upload a photo (JPEG or PNG).';

/**
 * A PDF rebuilt from its pages only, without metadata, scripts, actions or attachments (pdf-check-worker.ts runs
 * it in a thread of its own, with memory and time limits: pdf-lib inflates streams entirely in memory).
 */
export async function normalizePdf(input: Buffer): Promise<{ bytes: Buffer; contentHash: string }> {
  checkObjectStreams(input);
  let output: PDFDocument;
  try {
    const source = await PDFDocument.load(input, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: true,
    });
    if (source.isEncrypted) {
      throw evidenceErrors.unreadable(
        'pdf',
        undefined,
        'The PDF is password-protected. Upload it without a password, or upload a photo (JPEG or PNG).',
      );
    }
    const pageCount = source.getPageCount();
    if (pageCount === 0) {
      throw evidenceErrors.unreadable('pdf', undefined, 'The PDF has no pages. Scan the document again.');
    }
    if (pageCount > MAX_PDF_PAGES) throw evidenceErrors.tooManyPages(pageCount, MAX_PDF_PAGES);
    // Only the pages move to a fresh document: the catalog's Info, XMP metadata, OpenAction, document
    // JavaScript, embedded files and forms stay behind.
    output = await PDFDocument.create({ updateMetadata: false });
    const pages = await output.copyPages(source, source.getPageIndices());
    for (const page of pages) output.addPage(page);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw evidenceErrors.unreadable('pdf', error);
  }
  stripActiveContent(output.context);
  removeUnreachable(output.context);
  // No Info dictionary at all: no producer, no dates, so the same pages save to the same bytes. Plain
  // objects rather than object streams, so what is left stays easy to inspect.
  const saved = await output.save({
    addDefaultPage: false,
    updateFieldAppearances: false,
    useObjectStreams: false,
  });
  const bytes = Buffer.from(saved);
  return { bytes, contentHash: createHash('sha256').update(bytes).digest('hex') };
}

const name = (value: string) => PDFName.of(value);
/** Keys that run code, carry hidden data or embed files, wherever they appear. */
const DROPPED_KEYS = ['AA', 'OpenAction', 'JS', 'JavaScript', 'EF', 'Metadata', 'PieceInfo'].map(name);
/** Annotations that play or embed content a reviewer's viewer would open. */
const DROPPED_ANNOTATIONS = new Set(
  ['FileAttachment', 'Sound', 'Movie', 'Screen', 'RichMedia', '3D'].map((subtype) => `/${subtype}`),
);

function dictOf(object: PDFObject | undefined): PDFDict | undefined {
  if (object instanceof PDFDict) return object;
  return object instanceof PDFStream ? object.dict : undefined;
}

/** Removes scripts, actions, embedded files and metadata from every object of the copied pages. */
function stripActiveContent(context: PDFContext): void {
  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFArray) return object.asArray().forEach(visit);
    const dict = dictOf(object);
    if (dict === undefined) return;
    for (const key of DROPPED_KEYS) dict.delete(key);
    // An action (a dictionary with /S): JavaScript, Launch, SubmitForm… Links lose their target.
    const action = dict.lookup(name('A'));
    if (action instanceof PDFDict && action.has(name('S'))) dict.delete(name('A'));
    // An annotation's optional back-reference to its page would drag in a second copy of the page.
    if (dict.has(name('Subtype')) && dict.has(name('Rect'))) dict.delete(name('P'));
    const annots = dict.lookup(name('Annots'));
    if (annots instanceof PDFArray) {
      for (let index = annots.size() - 1; index >= 0; index -= 1) {
        const subtype = dictOf(context.lookup(annots.get(index)))?.lookup(name('Subtype'));
        if (subtype instanceof PDFName && DROPPED_ANNOTATIONS.has(subtype.asString())) annots.remove(index);
      }
    }
    for (const value of dict.values()) if (!(value instanceof PDFRef)) visit(value);
  };
  for (const [, object] of context.enumerateIndirectObjects()) visit(object);
}

/** Deletes indirect objects nothing reachable from the catalog refers to (they would still be saved). */
function removeUnreachable(context: PDFContext): void {
  const reachable = new Set<string>();
  const pending: (PDFObject | undefined)[] = [context.trailerInfo.Root];
  while (pending.length > 0) {
    const object = pending.pop();
    if (object instanceof PDFRef) {
      if (reachable.has(object.tag)) continue;
      reachable.add(object.tag);
      pending.push(context.lookup(object));
    } else if (object instanceof PDFArray) {
      pending.push(...object.asArray());
    } else {
      const dict = dictOf(object);
      if (dict !== undefined) pending.push(...dict.values());
    }
  }
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reachable.has(ref.tag)) context.delete(ref);
  }
}
