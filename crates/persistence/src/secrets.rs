//! Protection of identity numbers at rest: AES-256-GCM encryption for the value, and an HMAC for
//! lookups, both from one master key that lives in configuration, never in the database.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use inservice_domain::identity::IdentityNumber;
use sha2::Sha256;

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

/// Derives a purpose-specific key so the encryption and lookup keys are independent.
fn derive(master: &[u8], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl IdentityVault {
    /// `master_key` should hold at least 32 random bytes.
    pub fn new(master_key: &[u8]) -> Self {
        let encryption_key = derive(master_key, "inservice identity encryption v1");
        Self {
            cipher: Aes256Gcm::new_from_slice(&encryption_key).expect("a 32-byte key"),
            lookup_key: derive(master_key, "inservice identity lookup v1"),
        }
    }

    /// The keyed hash used to find an account by its identity number (hex).
    pub fn lookup_hash(&self, id: &IdentityNumber) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).expect("32-byte key");
        mac.update(id.expose().as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Nonce and ciphertext, base64.
    pub fn encrypt(&self, id: &IdentityNumber) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(&nonce, id.expose().as_bytes())
            .expect("encryption cannot fail");
        let mut sealed = nonce.to_vec();
        sealed.extend(ciphertext);
        STANDARD.encode(sealed)
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
        let sealed = vault.encrypt(&id());
        assert!(!sealed.contains("A123456789"));
        assert_ne!(sealed, vault.encrypt(&id()), "a fresh nonce each time");
        assert_eq!(vault.decrypt(&sealed).unwrap(), id());
    }

    #[test]
    fn another_key_cannot_decrypt_and_hashes_differently() {
        let vault = IdentityVault::new(&[7; 32]);
        let other = IdentityVault::new(&[8; 32]);
        assert!(other.decrypt(&vault.encrypt(&id())).is_err());
        assert_ne!(vault.lookup_hash(&id()), other.lookup_hash(&id()));
        assert_eq!(vault.lookup_hash(&id()), vault.lookup_hash(&id()));
        assert_eq!(vault.lookup_hash(&id()).len(), 64);
    }

    #[test]
    fn tampered_ciphertext_is_rejected() {
        let vault = IdentityVault::new(&[7; 32]);
        let mut bytes = STANDARD.decode(vault.encrypt(&id())).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert!(vault.decrypt(&STANDARD.encode(bytes)).is_err());
        assert!(vault.decrypt("not base64!").is_err());
    }
}
