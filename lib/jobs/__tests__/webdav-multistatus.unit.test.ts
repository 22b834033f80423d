import { describe, expect, it } from "vitest";
import { parseMultistatus } from "../webdav-multistatus";

// As Nextcloud answers a Depth 1 PROPFIND: d: prefix, absolute paths, a 404 propstat for props a folder lacks.
const NEXTCLOUD = `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">
 <d:response>
  <d:href>/remote.php/dav/files/alice/Notes/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype><d:getetag>&quot;6569f1a3c2b1e&quot;</d:getetag>
   <d:getlastmodified>Sat, 28 Nov 2026 10:00:00 GMT</d:getlastmodified></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><d:getcontentlength/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
 </d:response>
 <d:response>
  <d:href>/remote.php/dav/files/alice/Notes/Trip%20to%20Australia.md</d:href>
  <d:propstat><d:prop><d:resourcetype/><d:getcontentlength>1234</d:getcontentlength><d:getetag>&quot;a1b2&quot;</d:getetag></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
 <d:response>
  <d:href>/remote.php/dav/files/alice/Notes/R%C3%A9sum%C3%A9%20%26%20Plans.txt</d:href>
  <d:propstat><d:prop><d:resourcetype/><d:getcontentlength>7</d:getcontentlength></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
</d:multistatus>`;

describe("parseMultistatus", () => {
  it("reads folders and files of a Nextcloud answer: decoded paths, sizes, unquoted etags", () => {
    const entries = parseMultistatus(NEXTCLOUD);
    expect(entries).toEqual([
      {
        href: "/remote.php/dav/files/alice/Notes/",
        path: "/remote.php/dav/files/alice/Notes/",
        isFolder: true,
        size: 0,
        etag: "6569f1a3c2b1e",
        lastModified: "Sat, 28 Nov 2026 10:00:00 GMT",
      },
      {
        href: "/remote.php/dav/files/alice/Notes/Trip%20to%20Australia.md",
        path: "/remote.php/dav/files/alice/Notes/Trip to Australia.md",
        isFolder: false,
        size: 1234,
        etag: "a1b2",
        lastModified: null,
      },
      {
        href: "/remote.php/dav/files/alice/Notes/R%C3%A9sum%C3%A9%20%26%20Plans.txt",
        path: "/remote.php/dav/files/alice/Notes/Résumé & Plans.txt",
        isFolder: false,
        size: 7,
        etag: null,
        lastModified: null,
      },
    ]);
  });

  it("accepts other prefixes, a default namespace, absolute hrefs and attributes on elements", () => {
    const xml = `<multistatus xmlns="DAV:"><response><href>http://nc.example/remote.php/dav/files/bob/a.md</href>
      <propstat><prop><resourcetype/><getcontentlength>5</getcontentlength></prop><status>HTTP/1.1 200 OK</status></propstat></response>
      <D:response xmlns:D="DAV:"><D:href>/remote.php/dav/files/bob/Docs/</D:href><D:propstat><D:prop>
      <D:resourcetype><D:collection /></D:resourcetype></D:prop><D:status>HTTP/1.0 200 OK</D:status></D:propstat></D:response></multistatus>`;
    const entries = parseMultistatus(xml);
    expect(entries.map((e) => [e.path, e.isFolder, e.size])).toEqual([
      ["/remote.php/dav/files/bob/a.md", false, 5],
      ["/remote.php/dav/files/bob/Docs/", true, 0],
    ]);
  });

  it("skips responses that are not 200 and responses without an href; ignores <d:responsedescription>", () => {
    const xml = `<d:multistatus xmlns:d="DAV:">
      <d:response><d:href>/gone.md</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
      <d:response><d:propstat><d:prop><d:getcontentlength>1</d:getcontentlength></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
      <d:responsedescription>partial</d:responsedescription>
      <d:response><d:href>/ok.md</d:href><d:propstat><d:prop><d:getcontentlength>2</d:getcontentlength></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
    </d:multistatus>`;
    expect(parseMultistatus(xml).map((e) => e.path)).toEqual(["/ok.md"]);
  });

  it("survives odd input: empty body, a malformed escape, a non-numeric size", () => {
    expect(parseMultistatus("")).toEqual([]);
    const xml = `<d:multistatus xmlns:d="DAV:"><d:response><d:href>/bad%zzname.md</d:href><d:propstat><d:prop>
      <d:getcontentlength>lots</d:getcontentlength></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
    expect(parseMultistatus(xml)).toEqual([
      { href: "/bad%zzname.md", path: "/bad%zzname.md", isFolder: false, size: 0, etag: null, lastModified: null },
    ]);
  });
});
