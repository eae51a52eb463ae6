//! Protection of identity numbers at rest: AES-256-GCM encryption for the value, and an HMAC for
//! lookups, both from one master key that lives in configuration, never in the database.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use inservice_domain::identity::IdentityNumber;
use sha2::{Digest, Sha256};

use crate::StorageError;

/// Encrypts, decrypts and hashes identity numbers. Cheap to clone.
#[derive(Clone)]
pub struct IdentityVault {
    cipher: Aes256Gcm,
    lookup_key: [u8; 32],
}

impl std::fmt::Debug for IdentityVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentityVault(…)")
    }
}

/// The block size of SHA-256, the length of an HMAC-SHA-256 key block.
const BLOCK: usize = 64;

/// HMAC-SHA-256 keyed with `key` of any length, built the way RFC 2104 (and `new_from_slice`)
/// does it, a long key hashed and any key zero-padded to the block, without a `Result` that
/// can never be an error.
fn hmac(key: &[u8]) -> Hmac<Sha256> {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    <Hmac<Sha256> as KeyInit>::new(&block.into())
}

/// Derives a purpose-specific key so the encryption and lookup keys are independent.
fn derive(master: &[u8], label: &str) -> [u8; 32] {
    let mut mac = hmac(master);
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl IdentityVault {
    /// `master_key` should hold at least 32 random bytes.
    pub fn new(master_key: &[u8]) -> Self {
        let encryption_key = derive(master_key, "inservice identity encryption v1");
        Self {
            cipher: Aes256Gcm::new(&encryption_key.into()),
            lookup_key: derive(master_key, "inservice identity lookup v1"),
        }
    }

    /// The keyed hash used to find an account by its identity number (hex).
    pub fn lookup_hash(&self, id: &IdentityNumber) -> String {
        let mut mac = hmac(&self.lookup_key);
        mac.update(id.expose().as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Nonce and ciphertext, base64. AES-GCM refuses only plaintexts of gigabytes, so the
    /// error is not expected, but it is an error, not a panic.
    pub fn encrypt(&self, id: &IdentityNumber) -> Result<String, StorageError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(&nonce, id.expose().as_bytes())
            .map_err(|_| StorageError::Corrupt("an identity number cannot be encrypted".into()))?;
        let mut sealed = nonce.to_vec();
        sealed.extend(ciphertext);
        Ok(STANDARD.encode(sealed))
    }

    pub fn decrypt(&self, sealed: &str) -> Result<IdentityNumber, StorageError> {
        let corrupt = || StorageError::Corrupt("an identity number cannot be decrypted".into());
        let bytes = STANDARD.decode(sealed).map_err(|_| corrupt())?;
        if bytes.len() < 12 {
            return Err(corrupt());
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| corrupt())?;
        let plain = self
            .cipher
            .decrypt(&Nonce::from(nonce), ciphertext)
            .map_err(|_| corrupt())?;
        IdentityNumber::parse(&String::from_utf8(plain).map_err(|_| corrupt())?)
            .map_err(|_| corrupt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> IdentityNumber {
        IdentityNumber::parse("A123456789").unwrap()
    }

    #[test]
    fn encryption_round_trips_and_never_shows_the_number() {
        let vault = IdentityVault::new(&[7; 32]);
        let sealed = vault.encrypt(&id()).unwrap();
        assert!(!sealed.contains("A123456789"));
        assert_ne!(
            sealed,
            vault.encrypt(&id()).unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(vault.decrypt(&sealed).unwrap(), id());
    }

    #[test]
    fn another_key_cannot_decrypt_and_hashes_differently() {
        let vault = IdentityVault::new(&[7; 32]);
        let other = IdentityVault::new(&[8; 32]);
        assert!(other.decrypt(&vault.encrypt(&id()).unwrap()).is_err());
        assert_ne!(vault.lookup_hash(&id()), other.lookup_hash(&id()));
        assert_eq!(vault.lookup_hash(&id()), vault.lookup_hash(&id()));
        assert_eq!(vault.lookup_hash(&id()).len(), 64);
    }

    #[test]
    fn the_hmac_key_block_is_the_one_new_from_slice_builds() {
        for len in [0, 1, 32, 63, 64, 65, 100] {
            let key: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut ours = hmac(&key);
            let mut theirs = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
            ours.update(b"label");
            theirs.update(b"label");
            assert_eq!(
                ours.finalize().into_bytes(),
                theirs.finalize().into_bytes(),
                "key of {len} bytes"
            );
        }
    }

    #[test]
    fn tampered_ciphertext_is_rejected() {
        let vault = IdentityVault::new(&[7; 32]);
        let mut bytes = STANDARD.decode(vault.encrypt(&id()).unwrap()).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert!(vault.decrypt(&STANDARD.encode(bytes)).is_err());
        assert!(vault.decrypt("not base64!").is_err());
    }
}
