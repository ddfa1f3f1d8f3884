// The bundled playbook is embedded with include_dir!, which cannot tell cargo to watch it.
fn main() {
    println!("cargo:rerun-if-changed=../../assets/playbook");
}
