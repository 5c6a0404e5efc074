"""FairTrack: the system of record for an internationally trained professional's road to a licence."""
