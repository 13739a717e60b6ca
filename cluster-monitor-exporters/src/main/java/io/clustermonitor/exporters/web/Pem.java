package io.clustermonitor.exporters.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as Go's {@code tls.X509KeyPair} reads them: certificates, and an unencrypted private
 * key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE
 * KEY}) form.
 */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] RSA_OID = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Pem() {}

  /** The certificates in a PEM text, in order. */
  static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals("CERTIFICATE")) {
        out.add(
            (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("no PEM CERTIFICATE block found");
    }
    return out;
  }

  /** The first private key in a PEM text. */
  static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = decode(m.group(2));
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "RSA PRIVATE KEY":
          return KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(wrap(seq(RSA_OID, NULL), der)));
        case "EC PRIVATE KEY":
          byte[] curve = Der.ecCurveOid(der);
          return KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(wrap(seq(EC_OID, curve), der)));
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException("encrypted private keys are not supported");
        default:
          // certificates or parameters before the key: keep looking
      }
    }
    throw new GeneralSecurityException("no PEM private key block found");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("unsupported PKCS#8 private key", last);
  }

  private static final byte[] NULL = {0x05, 0x00};

  private static byte[] decode(String base64) throws GeneralSecurityException {
    try {
      return Base64.getMimeDecoder().decode(base64.replaceAll("(?m)^[A-Za-z-]+:.*$", ""));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("bad base64 in PEM block", e);
    }
  }

  /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(Der.tlv(0x04, key));
    return Der.tlv(0x30, body.toByteArray());
  }

  private static byte[] seq(byte[] a, byte[] b) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(a);
    body.writeBytes(b);
    return Der.tlv(0x30, body.toByteArray());
  }

  /** The little DER needed to wrap PKCS#1 and SEC 1 keys. */
  static final class Der {
    private Der() {}

    static byte[] tlv(int tag, byte[] value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = value.length;
      if (n < 0x80) {
        out.write(n);
      } else if (n < 0x100) {
        out.write(0x81);
        out.write(n);
      } else if (n < 0x10000) {
        out.write(0x82);
        out.write(n >> 8);
        out.write(n & 0xff);
      } else {
        out.write(0x83);
        out.write(n >> 16);
        out.write((n >> 8) & 0xff);
        out.write(n & 0xff);
      }
      out.writeBytes(value);
      return out.toByteArray();
    }

    /**
     * The named-curve OID (as a full TLV) from an ECPrivateKey ::= SEQUENCE { version, OCTET
     * STRING, [0] parameters, [1] publicKey }.
     */
    static byte[] ecCurveOid(byte[] der) throws GeneralSecurityException {
      int[] pos = {0};
      if (der.length < 2 || der[0] != 0x30) {
        throw new GeneralSecurityException("EC PRIVATE KEY is not a DER sequence");
      }
      pos[0] = 1;
      int end = length(der, pos) + pos[0];
      while (pos[0] < end && pos[0] < der.length) {
        int tag = der[pos[0]++] & 0xff;
        int len = length(der, pos);
        if (tag == 0xa0) {
          int start = pos[0];
          if (der[start] != 0x06) {
            break;
          }
          byte[] oid = new byte[len];
          System.arraycopy(der, start, oid, 0, len);
          return oid;
        }
        pos[0] += len;
      }
      throw new GeneralSecurityException("EC PRIVATE KEY does not name its curve");
    }

    private static int length(byte[] der, int[] pos) throws GeneralSecurityException {
      if (pos[0] >= der.length) {
        throw new GeneralSecurityException("truncated DER");
      }
      int first = der[pos[0]++] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int n = first & 0x7f;
      if (n > 3 || pos[0] + n > der.length) {
        throw new GeneralSecurityException("bad DER length");
      }
      int len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[pos[0]++] & 0xff);
      }
      return len;
    }
  }
}
